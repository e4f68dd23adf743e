//! Bodies that need not fit in memory: an [`Upload`] sent from bytes, a file
//! or a stream; a [`ByteStream`] read chunk by chunk; and the parts of a
//! `multipart/form-data` body.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use super::error::{SendError, TransportError, TransportErrorKind};
use super::intercept::BoxError;
use super::params::ToParam;

type ChunkStream<E> = Pin<Box<dyn Stream<Item = Result<Bytes, E>> + Send>>;

/// Raw bytes to send as a request body or a file part of a form: held in
/// memory, read from a file when the request is sent, or taken from a
/// stream.
///
/// Bytes and files are sent again when a request is retried. A stream is
/// read once, so a request that sends one is not retried, nor repeated
/// after a token refresh.
#[derive(Clone)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(PathBuf),
    /// Taken by the attempt that sends it.
    Stream(Arc<Mutex<Option<ChunkStream<BoxError>>>>),
}

impl Upload {
    /// Bytes in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Upload { source: Source::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// The file at `path`, opened and read as each attempt sends it, so it
    /// is never held in memory whole. As a form's file part it is named
    /// after the file unless [`file_name`](Self::file_name) says otherwise.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Upload { source: Source::File(path), file_name, content_type: None }
    }

    /// The chunks of `stream`, sent as they come. The request is not
    /// retried, as the stream cannot be read twice.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: ChunkStream<BoxError> = Box::pin(stream.map(|chunk| chunk.map_err(Into::into)));
        Upload { source: Source::Stream(Arc::new(Mutex::new(Some(stream)))), file_name: None, content_type: None }
    }

    /// The file name a form's file part gives (`filename=` in its
    /// `Content-Disposition`). Without one, a part is named after its file
    /// ([`from_path`](Self::from_path)) or after the form field.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The media type sent with it, in place of the one the spec gives
    /// (`application/octet-stream` when it gives none).
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// Whether it can be sent again: bytes and files can, streams cannot.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream(_))
    }

    /// The body for one attempt, and its length where known.
    async fn body(&self) -> Result<(reqwest::Body, Option<u64>), SendError> {
        match &self.source {
            Source::Bytes(bytes) => Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64))),
            Source::File(path) => {
                let unreadable =
                    |e: std::io::Error| SendError::InvalidRequest(format!("`{}` cannot be read: {e}", path.display()));
                let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                let length = file.metadata().await.map_err(unreadable)?.len();
                Ok((reqwest::Body::from(file), Some(length)))
            }
            Source::Stream(slot) => {
                let stream = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take().ok_or_else(|| {
                    SendError::InvalidRequest("a body read from a stream can be sent once, and it was sent".into())
                })?;
                Ok((reqwest::Body::wrap_stream(stream), None))
            }
        }
    }

    fn media_type<'m>(&'m self, spec: Option<&'m str>) -> &'m str {
        self.content_type.as_deref().or(spec).unwrap_or("application/octet-stream")
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::File(path) => format!("file {}", path.display()),
            Source::Stream(_) => "stream".to_string(),
        };
        f.debug_struct("Upload")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::from_bytes(bytes)
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::from_bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::from_bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload::from_bytes(text)
    }
}

/// The fields of a `multipart/form-data` body, in the order they are sent.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct Multipart {
    parts: Vec<(&'static str, Part)>,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String, Option<&'static str>),
    Json(Vec<u8>, &'static str),
    File(Upload, Option<&'static str>),
}

impl Multipart {
    /// A scalar field, written as in a query.
    #[doc(hidden)]
    pub fn text<T: ToParam>(&mut self, name: &'static str, value: &T, content_type: Option<&'static str>) {
        self.parts.push((name, Part::Text(value.to_param(), content_type)));
    }

    /// One field per item of a list of scalars.
    #[doc(hidden)]
    pub fn text_each<T: ToParam>(&mut self, name: &'static str, values: &[T], content_type: Option<&'static str>) {
        for value in values {
            self.text(name, value, content_type);
        }
    }

    /// An object or other structured value, as JSON (OpenAPI's default for
    /// an object in a form).
    #[doc(hidden)]
    pub fn json<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Result<(), SendError> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| SendError::InvalidRequest(format!("the form field `{name}` cannot be serialized: {e}")))?;
        self.parts.push((name, Part::Json(bytes, content_type.unwrap_or("application/json"))));
        Ok(())
    }

    /// A file.
    #[doc(hidden)]
    pub fn file(&mut self, name: &'static str, upload: &Upload, content_type: Option<&'static str>) {
        self.parts.push((name, Part::File(upload.clone(), content_type)));
    }

    /// One file per item.
    #[doc(hidden)]
    pub fn file_each(&mut self, name: &'static str, uploads: &[Upload], content_type: Option<&'static str>) {
        for upload in uploads {
            self.file(name, upload, content_type);
        }
    }

    fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| !matches!(part, Part::File(upload, _) if !upload.is_replayable()))
    }

    /// The form for one attempt.
    async fn form(&self) -> Result<reqwest::multipart::Form, SendError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text, None) => reqwest::multipart::Part::text(text.clone()),
                Part::Text(text, Some(media_type)) => {
                    with_media_type(reqwest::multipart::Part::text(text.clone()), media_type)?
                }
                Part::Json(bytes, media_type) => {
                    with_media_type(reqwest::multipart::Part::bytes(bytes.clone()), media_type)?
                }
                Part::File(upload, spec_type) => {
                    let (body, length) = upload.body().await?;
                    let part = match length {
                        Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
                        None => reqwest::multipart::Part::stream(body),
                    };
                    // Many servers take a part for a file only when it has a file name.
                    let file_name = upload.file_name.clone().unwrap_or_else(|| name.to_string());
                    with_media_type(part.file_name(file_name), upload.media_type(*spec_type))?
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
}

fn with_media_type(part: reqwest::multipart::Part, media_type: &str) -> Result<reqwest::multipart::Part, SendError> {
    part.mime_str(media_type).map_err(|_| SendError::InvalidRequest(format!("`{media_type}` is not a media type")))
}

/// A request body as the generated code gives it.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub enum Payload {
    /// Serialized already: JSON, a URL-encoded form, text.
    Bytes(&'static str, Bytes),
    /// Raw bytes from memory, a file or a stream, with the spec's media type.
    Upload(&'static str, Upload),
    /// `multipart/form-data`.
    Multipart(Multipart),
}

impl Payload {
    /// Whether the body can be sent more than once.
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            Payload::Bytes(..) => true,
            Payload::Upload(_, upload) => upload.is_replayable(),
            Payload::Multipart(form) => form.is_replayable(),
        }
    }

    /// Sets the body of one attempt, and its `Content-Type`.
    pub(crate) async fn attach_to(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, SendError> {
        use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
        Ok(match self {
            Payload::Bytes(media_type, bytes) => {
                builder.header(CONTENT_TYPE, header_value(media_type)?).body(bytes.clone())
            }
            Payload::Upload(media_type, upload) => {
                let (body, length) = upload.body().await?;
                let mut builder = builder.header(CONTENT_TYPE, header_value(upload.media_type(Some(media_type)))?);
                if let Some(length) = length {
                    // A file is streamed; its length still frames it.
                    builder = builder.header(CONTENT_LENGTH, length);
                }
                builder.body(body)
            }
            Payload::Multipart(form) => builder.multipart(form.form().await?),
        })
    }
}

fn header_value(value: &str) -> Result<reqwest::header::HeaderValue, SendError> {
    reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| SendError::InvalidRequest(format!("`{value}` is not a valid header value")))
}

/// A reply's body, read as it arrives: a [`Stream`] of chunks, so a
/// download of any size takes little memory.
///
/// Each chunk must arrive within the request's timeout of the one before;
/// [`collect`](Self::collect) reads the whole body into memory, up to the
/// client's largest reply size, and [`write_to`](Self::write_to) copies it
/// into a file or any other writer.
pub struct ByteStream {
    chunks: ChunkStream<TransportError>,
    length: Option<u64>,
    limit: u64,
    idle: Option<Duration>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    done: bool,
}

impl ByteStream {
    /// The body of a reply, read as it arrives.
    pub(crate) fn from_reply(response: reqwest::Response, limit: u64, idle: Option<Duration>, hide_url: bool) -> Self {
        let length = response.content_length();
        let chunks = response.bytes_stream().map(move |chunk| {
            chunk.map_err(|e| TransportError::from_reqwest(if hide_url { e.without_url() } else { e }))
        });
        ByteStream { chunks: Box::pin(chunks), length, limit, idle, timer: None, done: false }
    }

    /// A body held in memory already, for tests and mocks.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes: Bytes = bytes.into();
        let length = Some(bytes.len() as u64);
        let chunks = futures_util::stream::iter((!bytes.is_empty()).then_some(Ok(bytes)));
        ByteStream { chunks: Box::pin(chunks), length, limit: u64::MAX, idle: None, timer: None, done: false }
    }

    /// The length the reply announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// Reads the whole body into memory. A body larger than the client's
    /// largest reply size (`max_response_size` on the generated crate's
    /// `ClientBuilder`) is an error of kind
    /// [`Body`](TransportErrorKind::Body); read a larger one as a stream.
    pub async fn collect(mut self) -> Result<Bytes, TransportError> {
        let limit = self.limit;
        if self.length.is_some_and(|length| length > limit) {
            return Err(too_large(limit));
        }
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    /// Copies the body into `writer` chunk by chunk, and gives the number
    /// of bytes written. A failure to read the reply is an error of kind
    /// [`Other`](std::io::ErrorKind::Other) holding the [`TransportError`].
    pub async fn write_to<W>(mut self, writer: &mut W) -> std::io::Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.next().await {
            let chunk = chunk.map_err(std::io::Error::other)?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }
}

fn too_large(limit: u64) -> TransportError {
    TransportError::new(
        TransportErrorKind::Body,
        format!("the reply is larger than {limit} bytes, the most read into memory; read it as a stream"),
    )
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.chunks.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                this.timer = None;
                if !matches!(item, Some(Ok(_))) {
                    this.done = true;
                }
                Poll::Ready(item)
            }
            Poll::Pending => {
                let Some(idle) = this.idle else { return Poll::Pending };
                let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.done = true;
                        let message = format!("no part of the reply's body arrived for {idle:?}");
                        Poll::Ready(Some(Err(TransportError::new(TransportErrorKind::Timeout, message))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("content_length", &self.length).finish_non_exhaustive()
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_upload_is_sent_once() {
        let upload = Upload::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("a"))]));
        assert!(!upload.is_replayable());
        assert!(upload.body().await.is_ok());
        let again = upload.clone().body().await.unwrap_err();
        assert!(matches!(again, SendError::InvalidRequest(m) if m.contains("once")));
    }

    #[tokio::test]
    async fn a_missing_file_is_named_in_the_error() {
        let error = Upload::from_path("/nonexistent/apigen-upload").body().await.unwrap_err();
        assert!(matches!(error, SendError::InvalidRequest(m) if m.contains("/nonexistent/apigen-upload")));
    }

    #[tokio::test]
    async fn collect_stops_at_the_limit() {
        let mut stream = ByteStream::from_bytes(vec![7u8; 10]);
        stream.limit = 9;
        assert_eq!(stream.collect().await.unwrap_err().kind(), TransportErrorKind::Body);
        let mut out = Vec::new();
        assert_eq!(ByteStream::from(vec![1, 2, 3]).write_to(&mut out).await.unwrap(), 3);
        assert_eq!(out, [1, 2, 3]);
    }

    #[test]
    fn file_parts_are_named_after_their_file() {
        let upload = Upload::from_path("dir/report.csv");
        assert_eq!(upload.file_name.as_deref(), Some("report.csv"));
        assert_eq!(upload.media_type(None), "application/octet-stream");
        assert_eq!(upload.clone().content_type("text/csv").media_type(Some("x/y")), "text/csv");
    }
}
