//! How a page's data travels from the server to the browser: in the page, for hydration, and in
//! server functions' answers, for navigation.
//!
//! Both use postcard, a compact binary form of serde. JSON would need a parser and, for every page
//! type, a reader that matches field names; postcard reads fields in order, so its readers are a
//! fraction of the size, and the browser needs no JSON reader at all. In the page the bytes are
//! written as base64, since hydration data travels as a string.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64;
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Postcard bytes, written as base64.
pub struct Postcard;

impl<T: Serialize> Encoder<T> for Postcard {
    type Error = postcard::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, postcard::Error> {
        postcard::to_allocvec(val).map(|bytes| BASE64.encode(bytes))
    }
}

impl<T: DeserializeOwned> Decoder<T> for Postcard {
    type Error = postcard::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, postcard::Error> {
        let bytes = BASE64
            .decode(val)
            .map_err(|_| postcard::Error::DeserializeBadEncoding)?;
        postcard::from_bytes(&bytes)
    }
}

/// A resource for a page's data (`Resource::new` with the codec above).
#[track_caller]
pub fn page_data<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Postcard>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_server_writes_the_browser_reads_back() {
        let value: Result<Vec<(String, i64)>, String> = Ok(vec![("Médicos ✓".into(), -3)]);
        let encoded = <Postcard as Encoder<_>>::encode(&value).unwrap();
        let decoded: Result<Vec<(String, i64)>, String> =
            <Postcard as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
        assert!(<Postcard as Decoder<Vec<i64>>>::decode("not base64!").is_err());
        let cut = &encoded[..encoded.len() - 4];
        assert!(<Postcard as Decoder<Result<Vec<(String, i64)>, String>>>::decode(cut).is_err());
    }
}
