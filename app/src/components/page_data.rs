//! How a page's data travels from the server's render to the browser's hydration.
//!
//! Leptos's default resource codec reads JSON with `serde_json::from_str`, while server
//! functions read their answers with `serde_json::from_slice`. Every page type was therefore
//! compiled into the wasm twice, once for each reader: about an eighth of its code. This codec
//! reads with `from_slice` too, so each type has one deserializer.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON, read from bytes like a server function's answer.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A resource for a page's data (`Resource::new` with the codec above).
#[track_caller]
pub fn page_data<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
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
        let encoded = <Json as Encoder<_>>::encode(&value).unwrap();
        let decoded: Result<Vec<(String, i64)>, String> =
            <Json as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
        assert!(<Json as Decoder<Vec<i64>>>::decode("[1,").is_err());
    }
}
