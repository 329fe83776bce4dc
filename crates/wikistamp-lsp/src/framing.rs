//! A guard in front of the JSON-RPC transport. `tower-lsp-server` stops reading its input after
//! the first message it cannot decode (bad JSON, bad headers), which would end the session. This
//! filter re-frames the input and drops, with a log line on stderr, every message that is not a
//! well-formed JSON-RPC request, notification or response, so one bad message costs only itself.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Largest message accepted (a 10 MB note, JSON-escaped, fits).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Copies well-formed messages from `input` to `output` until `input` ends.
pub async fn filter(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut input = BufReader::new(input);
    loop {
        // Headers: lines up to an empty line.
        let mut content_length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = Vec::new();
            match input.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim();
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue; // stray blank lines between messages
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().ok();
                }
            }
        }
        let Some(len) = content_length.filter(|&n| n <= MAX_MESSAGE) else {
            eprintln!("wikistamp lsp: dropped a message without a valid Content-Length");
            continue;
        };
        let mut body = vec![0; len];
        if input.read_exact(&mut body).await.is_err() {
            return;
        }
        let well_formed = serde_json::from_slice::<Request>(&body).is_ok()
            || serde_json::from_slice::<Response>(&body).is_ok();
        if !well_formed {
            eprintln!("wikistamp lsp: dropped a malformed JSON-RPC message ({len} bytes)");
            continue;
        }
        let header = format!("Content-Length: {len}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keeps_good_messages_and_drops_bad_ones() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not json\
             Garbage-Header\r\n\r\n\
             Content-Length: 7\r\n\r\n{{\"a\":1}}\
             Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{good}",
            good.len()
        );
        let mut out = Vec::new();
        filter(input.as_bytes(), &mut out).await;
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("Content-Length: {}\r\n\r\n{good}", good.len())
        );
    }
}
