//! The runtime's defaults as the docs state them, read from the runtime's
//! own `defaults.rs`, so the docs of every generated crate follow the
//! runtime: change a value there and the next regeneration says so.

use std::sync::OnceLock;
use std::time::Duration;

const SOURCE: &str = include_str!("../../../runtime/src/defaults.rs");

/// The defaults, formatted for docs ("200 ms", "30 s", "5 minutes", "64 MiB").
pub struct Defaults {
    pub attempts: String,
    pub initial_backoff: String,
    pub max_backoff: String,
    pub max_retry_after: String,
    pub timeout: String,
    pub connect_timeout: String,
    pub max_response_size: String,
    pub poll_initial_delay: String,
    pub poll_max_delay: String,
    pub poll_deadline: String,
}

/// The runtime's defaults; read once.
pub fn get() -> &'static Defaults {
    static DEFAULTS: OnceLock<Defaults> = OnceLock::new();
    DEFAULTS.get_or_init(|| read(SOURCE).unwrap_or_else(|e| panic!("runtime/src/defaults.rs: {e}")))
}

/// A constant's value: a duration or a number.
enum Value {
    Duration(Duration),
    Number(u64),
}

fn read(source: &str) -> Result<Defaults, String> {
    let file = syn::parse_file(source).map_err(|e| e.to_string())?;
    let mut values = std::collections::HashMap::new();
    for item in &file.items {
        if let syn::Item::Const(c) = item {
            values.insert(
                c.ident.to_string(),
                value(&c.expr).ok_or_else(|| format!("`{}` is not a plain literal", c.ident))?,
            );
        }
    }
    let mut take = |name: &str| values.remove(name).ok_or_else(|| format!("no constant `{name}`"));
    let duration = |v: Value| match v {
        Value::Duration(d) => Ok(human_duration(d)),
        Value::Number(_) => Err("a number where a duration was expected".to_string()),
    };
    let number = |v: Value| match v {
        Value::Number(n) => Ok(n),
        Value::Duration(_) => Err("a duration where a number was expected".to_string()),
    };
    Ok(Defaults {
        attempts: number(take("ATTEMPTS")?)?.to_string(),
        initial_backoff: duration(take("INITIAL_BACKOFF")?)?,
        max_backoff: duration(take("MAX_BACKOFF")?)?,
        max_retry_after: duration(take("MAX_RETRY_AFTER")?)?,
        timeout: duration(take("TIMEOUT")?)?,
        connect_timeout: duration(take("CONNECT_TIMEOUT")?)?,
        max_response_size: human_bytes(number(take("MAX_RESPONSE_SIZE")?)?),
        poll_initial_delay: duration(take("POLL_INITIAL_DELAY")?)?,
        poll_max_delay: duration(take("POLL_MAX_DELAY")?)?,
        poll_deadline: duration(take("POLL_DEADLINE")?)?,
    })
}

/// `3`, `64 << 20`, `Duration::from_secs(30)` or `Duration::from_millis(200)`.
fn value(expr: &syn::Expr) -> Option<Value> {
    match expr {
        syn::Expr::Lit(lit) => integer(lit).map(Value::Number),
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::Shl(_)) => {
            let (syn::Expr::Lit(l), syn::Expr::Lit(r)) = (&*b.left, &*b.right) else { return None };
            integer(l)?.checked_shl(u32::try_from(integer(r)?).ok()?).map(Value::Number)
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(f) = &*call.func else { return None };
            let name = f.path.segments.last()?.ident.to_string();
            let [syn::Expr::Lit(arg)] = call.args.iter().collect::<Vec<_>>()[..] else { return None };
            let n = integer(arg)?;
            match name.as_str() {
                "from_secs" => Some(Value::Duration(Duration::from_secs(n))),
                "from_millis" => Some(Value::Duration(Duration::from_millis(n))),
                _ => None,
            }
        }
        _ => None,
    }
}

fn integer(lit: &syn::ExprLit) -> Option<u64> {
    match &lit.lit {
        syn::Lit::Int(i) => i.base10_parse().ok(),
        _ => None,
    }
}

fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 {
        format!("{ms} ms")
    } else if ms >= 120_000 && ms % 60_000 == 0 {
        format!("{} minutes", ms / 60_000)
    } else {
        format!("{} s", ms / 1000)
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_s_defaults_are_read() {
        // Reads without panicking; the values themselves are the runtime's
        // (tests/tests/generated_docs.rs compares them with the runtime's
        // constants).
        let d = get();
        assert!(d.attempts.parse::<u32>().is_ok());
        assert!(d.timeout.ends_with(" s") || d.timeout.ends_with(" ms") || d.timeout.ends_with(" minutes"));
    }

    #[test]
    fn durations_and_sizes_read_as_people_write_them() {
        assert_eq!(human_duration(Duration::from_millis(200)), "200 ms");
        assert_eq!(human_duration(Duration::from_secs(60)), "60 s");
        assert_eq!(human_duration(Duration::from_secs(300)), "5 minutes");
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }

    #[test]
    fn a_value_it_cannot_read_is_an_error() {
        let err = read("pub const ATTEMPTS: u32 = 1 + 2;").err().unwrap();
        assert!(err.contains("ATTEMPTS"), "{err}");
    }
}
