//! A guard in front of the JSON-RPC transport. `tower-lsp-server` stops reading its input after
//! the first message it cannot decode (bad JSON, bad headers), which would end the session. This
//! filter re-frames the input and drops, with a log line on stderr, every message that is not a
//! well-formed JSON-RPC request, notification or response, so one bad message costs only itself.
//!
//! A wrong `Content-Length` costs only its own frame too: the filter resynchronises at the next
//! `Content-Length:` header line, even one that starts mid-line (after a body cut too short) or
//! inside the bytes a too-long length claims. That is safe because such a header line — the name,
//! a colon, digits, a line break — cannot occur in a JSON text: a JSON string holds no raw line
//! break, and outside strings JSON has no bare words.

use std::ops::Range;

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Largest message accepted (a 10 MB note, JSON-escaped, fits).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Bytes asked of the input per read.
const READ_CHUNK: usize = 64 * 1024;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// A well-formed message: what `tower-lsp-server` decodes (its own enum is private).
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only parsed, to know that it parses
enum Message {
    Response(Response),
    Request(Request),
}

/// Copies well-formed messages from `input` to `output` until `input` ends.
pub async fn filter(mut input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut framer = Framer::default();
    loop {
        match framer.step() {
            Step::Frame(body) => {
                let body = &framer.buf[body];
                if serde_json::from_slice::<Message>(body).is_ok() {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if output.write_all(header.as_bytes()).await.is_err()
                        || output.write_all(body).await.is_err()
                        || output.flush().await.is_err()
                    {
                        return;
                    }
                } else {
                    eprintln!(
                        "wikistamp lsp: dropped a malformed JSON-RPC message ({} bytes)",
                        body.len()
                    );
                }
                framer.consume_frame();
            }
            Step::Drop { end, why } => {
                eprintln!("wikistamp lsp: dropped {end} bytes: {why}");
                framer.consume(end);
            }
            Step::NeedMore => {
                framer.buf.reserve(READ_CHUNK);
                match input.read_buf(&mut framer.buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        }
    }
}

/// What the buffered input holds next.
#[derive(Debug, PartialEq)]
enum Step {
    /// A complete frame whose body is at this range of the buffer.
    Frame(Range<usize>),
    /// The buffer's first `end` bytes are not a message.
    Drop {
        end: usize,
        why: &'static str,
    },
    NeedMore,
}

/// The input not yet passed on, and how far a frame's body was searched for the next header.
#[derive(Default)]
struct Framer {
    buf: Vec<u8>,
    /// The end of the last frame returned by [`Framer::step`].
    frame_end: usize,
    /// No header line starts inside the body before this offset (the body arrives in pieces).
    searched: usize,
}

impl Framer {
    fn consume(&mut self, end: usize) {
        self.buf.drain(..end);
        self.frame_end = 0;
        self.searched = 0;
    }

    fn consume_frame(&mut self) {
        self.consume(self.frame_end);
    }

    fn step(&mut self) -> Step {
        let buf = &self.buf[..];
        let start = match find_header(buf, 0) {
            Found::Line(at) => at,
            Found::Maybe(at) | Found::None(at) => {
                // Keep what may be a header in the making, or other headers before it.
                let junk = buf.len().min(at);
                return if junk > 0 && !header_lines(&buf[..junk]) {
                    Step::Drop {
                        end: junk,
                        why: "not a message",
                    }
                } else {
                    Step::NeedMore
                };
            }
        };
        if start > 0 && !header_lines(&buf[..start]) {
            return Step::Drop {
                end: start,
                why: "not a message",
            };
        }
        // The header block runs from the Content-Length line to the first empty line.
        let mut line_start = start;
        let body_start = loop {
            let Some(nl) = buf[line_start..].iter().position(|&b| b == b'\n') else {
                return Step::NeedMore;
            };
            let line = &buf[line_start..line_start + nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                break line_start + nl + 1;
            }
            if !header_lines(line) {
                return Step::Drop {
                    end: line_start,
                    why: "a header block without its empty line",
                };
            }
            line_start += nl + 1;
        };
        let len = content_length(&buf[start..]).filter(|&n| n <= MAX_MESSAGE);
        let Some(len) = len else {
            return Step::Drop {
                end: body_start,
                why: "a message without a valid Content-Length",
            };
        };
        // A header line inside the body means the length was too long: the frame ends there.
        let body_end = body_start + len;
        match find_header(buf, self.searched.max(body_start)) {
            Found::Line(at) if at < body_end => Step::Drop {
                end: at,
                why: "a message cut short by the next header (its Content-Length is too long)",
            },
            Found::Maybe(at) if at < body_end => {
                self.searched = at;
                Step::NeedMore
            }
            _ if buf.len() >= body_end => {
                self.frame_end = body_end;
                Step::Frame(body_start..body_end)
            }
            Found::Line(at) | Found::Maybe(at) | Found::None(at) => {
                self.searched = at;
                Step::NeedMore
            }
        }
    }
}

/// Where the first `Content-Length:` header line at or after `from` starts.
#[derive(Debug, PartialEq)]
enum Found {
    /// A complete header line: the name, a colon, digits and a line break.
    Line(usize),
    /// One may start here: the buffer ends before it can tell.
    Maybe(usize),
    /// None starts before this offset (the end of the buffer).
    None(usize),
}

fn find_header(buf: &[u8], from: usize) -> Found {
    let mut at = from;
    while at < buf.len() {
        let Some(i) = buf[at..].iter().position(|b| b.eq_ignore_ascii_case(&b'c')) else {
            break;
        };
        at += i;
        let rest = &buf[at..];
        let name = rest.len().min(CONTENT_LENGTH.len());
        if rest[..name].eq_ignore_ascii_case(&CONTENT_LENGTH[..name]) {
            if name < CONTENT_LENGTH.len() {
                return Found::Maybe(at);
            }
            match header_value_ends(&rest[name..]) {
                Some(true) => return Found::Line(at),
                None => return Found::Maybe(at),
                Some(false) => {}
            }
        }
        at += 1;
    }
    Found::None(buf.len())
}

/// Whether `rest` (after the colon) is blanks, digits, blanks and a line break; `None` when it
/// ends before that is known.
fn header_value_ends(rest: &[u8]) -> Option<bool> {
    let mut i = 0;
    let blanks = |i: &mut usize| {
        while rest.get(*i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
            *i += 1;
        }
    };
    blanks(&mut i);
    let digits = i;
    while rest.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == digits {
        return (i < rest.len()).then_some(false);
    }
    blanks(&mut i);
    if rest.get(i) == Some(&b'\r') {
        i += 1;
    }
    rest.get(i).map(|&b| b == b'\n')
}

/// The value of the `Content-Length:` line at the start of `header`.
fn content_length(header: &[u8]) -> Option<usize> {
    let line = &header[CONTENT_LENGTH.len()..];
    let end = line.iter().position(|&b| b == b'\n')?;
    std::str::from_utf8(&line[..end]).ok()?.trim().parse().ok()
}

/// Whether `bytes` is a run of `Name: value` header lines (the last one may be incomplete).
fn header_lines(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').all(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let name_end = line.iter().position(|&b| b == b':').unwrap_or(line.len());
        line[..name_end]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    async fn filtered(input: &str) -> String {
        let mut out = Vec::new();
        filter(input.as_bytes(), &mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The input as it arrives through a pipe one byte at a time.
    async fn filtered_bytewise(input: &str) -> String {
        let (mut write, read) = tokio::io::duplex(1);
        let input = input.to_string();
        tokio::spawn(async move { write.write_all(input.as_bytes()).await });
        let mut out = Vec::new();
        filter(read, &mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
    const HOVER: &str = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{}}"#;
    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    #[tokio::test]
    async fn keeps_good_messages_and_drops_bad_ones() {
        let good = SHUTDOWN;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not json\
             Garbage-Header\r\n\r\n\
             Content-Length: 7\r\n\r\n{{\"a\":1}}\
             Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{good}",
            good.len()
        );
        assert_eq!(filtered(&input).await, frame(good));
    }

    #[tokio::test]
    async fn a_wrong_content_length_costs_only_its_frame() {
        // Too long: the next header lies inside what it claims. Too short: the rest of the cut
        // body runs into the next header, mid-line.
        for claimed in [500, 10] {
            let input = format!(
                "Content-Length: {claimed}\r\n\r\n{SHUTDOWN}{}{}",
                frame(HOVER),
                frame(EXIT)
            );
            let expected = format!("{}{}", frame(HOVER), frame(EXIT));
            assert_eq!(filtered(&input).await, expected, "{claimed}");
            assert_eq!(filtered_bytewise(&input).await, expected, "{claimed}");
        }
    }

    #[tokio::test]
    async fn header_text_inside_a_json_string_is_not_a_header() {
        let body =
            r#"{"jsonrpc":"2.0","method":"x","params":{"text":"Content-Length: 5\r\n\r\n"}}"#;
        let input = format!("{}{}", frame(body), frame(EXIT));
        let expected = format!("{}{}", frame(body), frame(EXIT));
        assert_eq!(filtered(&input).await, expected);
        assert_eq!(filtered_bytewise(&input).await, expected);
    }

    #[tokio::test]
    async fn other_headers_and_lowercase_names_are_accepted() {
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{EXIT}\r\n{}",
            EXIT.len(),
            frame(HOVER)
        );
        let expected = format!("{}{}", frame(EXIT), frame(HOVER));
        assert_eq!(filtered(&input).await, expected);
        assert_eq!(filtered_bytewise(&input).await, expected);
    }

    #[test]
    fn a_header_is_found_only_when_complete() {
        assert_eq!(find_header(b"xxContent-Len", 0), Found::Maybe(2));
        assert_eq!(find_header(b"Content-Length: 12", 0), Found::Maybe(0));
        assert_eq!(find_header(b"}Content-Length: 12\r\n", 0), Found::Line(1));
        assert_eq!(
            find_header(b"\"Content-Length: 12\\r\\n", 0),
            Found::None(23)
        );
        assert_eq!(find_header(b"abc", 0), Found::Maybe(2)); // `c` may begin the name
        assert_eq!(find_header(b"abx", 0), Found::None(3));
    }
}
