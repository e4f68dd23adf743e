//! The intermediate representation: plain Rust data describing the client to
//! generate. Lowering builds it from the spec; emitting reads nothing else.
//!
//! Every name here is final: `rust_name`s are valid, distinct identifiers, and
//! `api_name`s are the exact strings of the wire.

/// A whole API.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, as Markdown.
    pub description: Option<String>,
    /// Servers, the default first.
    pub servers: Vec<Server>,
    /// How the API authenticates, by scheme.
    pub security: Vec<SecurityScheme>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Response headers that carry the vendor's request id
    /// (`x-apigen-request-id-headers`).
    pub request_id_headers: Vec<String>,
    /// The crate's Cargo features, one per group of operations; empty when
    /// the operations form a single group, which is then not a feature.
    pub features: Vec<Feature>,
}

/// A Cargo feature: a group of operations, and the types only they use,
/// that an application compiles only when it asks for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The feature's name, a valid Cargo feature name, distinct from the
    /// others and from the crate's fixed features.
    pub name: String,
    /// The module under `types` of the types it alone compiles, a snake
    /// case name distinct from the others': a file left out is not parsed.
    pub module: String,
    /// What it gathers.
    pub source: FeatureSource,
    /// Other features its operations need (an operation it polls).
    pub requires: Vec<String>,
}

/// Where a feature comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum FeatureSource {
    /// The operations whose first tag this is.
    Tag(String),
    /// Untagged operations whose path starts with this segment, after the
    /// segments all paths share.
    PathSegment(String),
    /// Types that no operation sends or receives (webhook payloads, for
    /// one), which the spec defines all the same.
    Unreferenced,
}

/// One server entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// URL with every variable replaced by its default.
    pub default_url: String,
    /// URL template with `{variable}` placeholders.
    pub template: String,
    /// Server description.
    pub description: Option<String>,
    /// Variables of the template.
    pub variables: Vec<ServerVariable>,
}

/// A server URL variable.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerVariable {
    /// Name in the template.
    pub name: String,
    /// snake_case name of the client builder's setter.
    pub rust_name: String,
    /// UpperCamelCase name of its enum, when it has allowed values.
    pub type_name: String,
    /// Default value.
    pub default: String,
    /// Allowed values (names from `x-enum-varnames` where given); empty when free.
    pub allowed: Vec<Variant>,
    /// Description.
    pub description: Option<String>,
}

/// A security scheme the client can satisfy.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// Key in `components/securitySchemes`.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// What the client sends.
    pub kind: SecurityKind,
}

/// What a security scheme needs on the wire.
#[derive(Clone, Debug, PartialEq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>` (HTTP bearer).
    Bearer,
    /// OAuth 2 client credentials; the token is sent as a bearer token.
    OAuth2ClientCredentials {
        /// Where tokens are fetched.
        token_url: String,
        /// The token URL with server variables (`x-apigen-token-url`), such as
        /// `https://login.{region}/oauth/token`.
        token_url_template: Option<String>,
    },
    /// HTTP Basic: `Authorization: Basic <user:password in Base64>`.
    Basic,
    /// An API key sent with every request.
    ApiKey {
        /// The header, query parameter or cookie that carries it.
        param: String,
        /// Where it goes.
        place: KeyPlace,
        /// The `ClientBuilder` method that sets it.
        setter: String,
    },
    /// A scheme the client does not implement yet; documented only.
    Other {
        /// Short description of the scheme.
        summary: String,
    },
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPlace {
    Header,
    Query,
    Cookie,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation: a method on a path.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `operationId` as in the spec.
    pub api_name: String,
    /// snake_case method name on the client.
    pub rust_name: String,
    /// UpperCamelCase name of the operation's request builder.
    pub type_name: String,
    /// Name of its enum of documented error replies (`{Op}Error` unless taken).
    pub error_name: String,
    /// Name of its enum of successful replies, where there are several
    /// (`{Op}Response` unless taken).
    pub response_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as in the spec (`/v1/things/{id}`).
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// Short summary.
    pub summary: Option<String>,
    /// Long description, Markdown.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Permissions the operation requires (`x-inin-requires-permissions`).
    pub permissions: Option<Permissions>,
    /// Parameters in spec order (path-item ones first); required ones are
    /// the method's arguments in this order.
    pub params: Vec<Param>,
    /// Request body.
    pub body: Option<Body>,
    /// Responses, documented statuses in ascending order, ranges, then default.
    pub responses: Vec<Response>,
    /// Security scheme names that apply; empty means none.
    pub security: Vec<String>,
    /// How to walk its pages (`x-apigen-pagination`).
    pub pagination: Option<Pagination>,
    /// How to wait for what it starts (`x-apigen-poll`).
    pub poll: Option<Poll>,
    /// The Cargo feature that compiles it, where the crate has features.
    pub feature: Option<String>,
}

impl Operation {
    /// The body type shared by every success response, if there is exactly one.
    pub fn single_success_type(&self) -> Option<&TypeRef> {
        let mut bodies = self.responses.iter().filter(|r| r.success).map(|r| r.body.as_ref().map(|b| &b.ty));
        let first = bodies.next()??;
        bodies.all(|b| b == Some(first)).then_some(first)
    }
}

/// A path through fields of nested structs, from a JSON pointer.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPath {
    /// The pointer as written in the spec.
    pub pointer: String,
    /// One step per field.
    pub steps: Vec<FieldStep>,
    /// The type at the end.
    pub ty: TypeRef,
}

/// One field of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq)]
pub struct FieldStep {
    /// The struct that holds the field, by Rust name.
    pub owner: String,
    /// The field's Rust name.
    pub rust_name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether it is an `Option<Option<_>>` ([`Field::send_null`]).
    pub double: bool,
    /// Whether the field is boxed.
    pub boxed: bool,
}

/// Cursor pagination of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The optional query parameter that takes the cursor, by index into `params`.
    pub cursor_param: usize,
    /// Where the next page's cursor comes from.
    pub next: NextPage,
    /// The page's items; its type is an array.
    pub items: FieldPath,
    /// The type of one item.
    pub item_ty: TypeRef,
    /// The type of a page.
    pub page_ty: TypeRef,
}

/// Where the next cursor is.
#[derive(Clone, Debug, PartialEq)]
pub enum NextPage {
    /// A body field holds it.
    Cursor(FieldPath),
    /// A body field holds the next page's URL; the cursor is that URL's
    /// value of the cursor parameter.
    Link(FieldPath),
}

/// Submit-then-poll: after this operation, another one is called until a
/// status field says done or failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Poll {
    /// Rust method name of the polled operation.
    pub operation: String,
    /// The name of its error enum.
    pub operation_error: String,
    /// The polled operation's required arguments, in order.
    pub args: Vec<PollArg>,
    /// The status field in the polled operation's reply.
    pub status: FieldPath,
    /// Status values that mean done.
    pub done: Vec<String>,
    /// Status values that mean failed.
    pub failed: Vec<String>,
    /// The polled operation's success type.
    pub result_ty: TypeRef,
}

/// Where an argument of the polled operation comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PollArg {
    /// A field of the submit reply (`$response.body#/executionId`).
    ResponseBody(FieldPath),
    /// A parameter of the submit request (`$request.path.clientId`), by index.
    RequestParam(usize),
}

/// Permissions an operation requires.
#[derive(Clone, Debug, PartialEq)]
pub struct Permissions {
    /// `ANY` or `ALL`.
    pub kind: String,
    /// The permission names.
    pub names: Vec<String>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    /// Literal text, sent as is.
    Literal(String),
    /// A path parameter, by index into `Operation::params`.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
    /// A field of a `multipart/form-data` body: a property of the body's
    /// object schema, set like a parameter.
    Part,
}

/// How a query array is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, `explode: true`: `k=a&k=b`.
    FormExploded,
    /// `form`, `explode: false`: `k=a,b`.
    FormComma,
    /// `spaceDelimited`: `k=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `k=a|b`.
    PipeDelimited,
    /// An object, `form` exploded: one pair per property, `p1=a&p2=b`.
    ObjectExploded,
    /// An object, `form` without explode: `k=p1,a,p2,b`.
    ObjectComma,
    /// An object as `deepObject`: `k[p1]=a&k[p2]=b`.
    DeepObject,
}

/// One operation parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub api_name: String,
    /// snake_case name of the argument or setter.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether it is required.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// How arrays are written (query only).
    pub style: QueryStyle,
    /// Description.
    pub description: Option<String>,
    /// Default value the server applies, as JSON text.
    pub default: Option<String>,
    /// An example value from the spec, for documentation.
    pub example: Option<serde_json::Value>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// The media type of a form field (`encoding.{name}.contentType`);
    /// parts only.
    pub content_type: Option<String>,
}

/// How a body is encoded on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// JSON (`application/json`, `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Text (`text/*`), as a `String`.
    Text,
    /// Anything else, as bytes.
    Bytes,
    /// `multipart/form-data`, its fields set as parameters
    /// ([`ParamLocation::Part`]); requests only.
    Multipart,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Media type sent in `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: Encoding,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it is required.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// How the fields of a URL-encoded form are written, where the media
    /// type's `encoding` object says (a field it does not name is `form`,
    /// exploded); empty for other bodies.
    pub form_fields: Vec<FormField>,
}

/// One entry of a URL-encoded form's `encoding` object.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// The field's name on the wire.
    pub name: String,
    /// How its value is laid out.
    pub style: FormStyle,
    /// Whether lists and objects are exploded.
    pub explode: bool,
    /// Whether RFC 3986's reserved characters are sent as they are.
    pub allow_reserved: bool,
    /// Whether the value is sent as JSON text (a JSON `contentType`).
    pub json: bool,
}

/// The `style` of a form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`: `k=a&k=b`, or `k=a,b` without explode.
    Form,
    /// `spaceDelimited`: `k=a b`.
    SpaceDelimited,
    /// `pipeDelimited`: `k=a|b`.
    PipeDelimited,
    /// `deepObject`: `k[p][q]=a`, list items by index.
    DeepObject,
}

/// Which responses a `Response` covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class such as `4XX`, by first digit.
    Range(u8),
    /// Every status not listed otherwise.
    Default,
}

/// One documented response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Whether it is a success (2xx, or `default` when nothing else is).
    pub success: bool,
    /// Description.
    pub description: String,
    /// Body, when it has one that the client decodes.
    pub body: Option<ResponseBody>,
    /// Every media type the spec documents for it, in spec order (for `Accept`).
    pub media_types: Vec<String>,
    /// UpperCamelCase name of the variant this response gets in an enum.
    pub variant_name: String,
}

/// A response body.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseBody {
    /// Media type (`application/json`, `application/problem+json`, ...).
    pub media_type: String,
    /// How it is decoded (never `Form`).
    pub encoding: Encoding,
    /// Its type.
    pub ty: TypeRef,
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An RFC 3339 date-time.
    DateTime,
    /// A calendar date.
    Date,
    /// Any JSON value.
    Json,
    /// A JSON object with any members.
    JsonObject,
    /// Raw bytes received (`application/octet-stream` and other non-text
    /// media): a reply body.
    Bytes,
    /// Raw bytes sent, from memory, a file or a stream: a request body or
    /// a form's file field.
    Upload,
    /// A named type of `Api::types`, by Rust name.
    Named(String),
    /// A list.
    Array(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// The items of a list or the values of a map whose schema allows
    /// `null` (`Option<T>`); a field's own nullability is
    /// [`Field::nullable`].
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// Whether this is `other`, or holds it as the items of a list or the
    /// values of a map, however nested.
    pub fn holds(&self, other: &TypeRef) -> bool {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.holds(other),
            _ => self == other,
        }
    }

    /// The named type this is, or holds as the items of a list or the
    /// values of a map, however nested.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.named(),
            _ => None,
        }
    }

    /// This type without a `Nullable` around it.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// UpperCamelCase Rust name.
    pub rust_name: String,
    /// Name in the spec, or the place an inline schema was named after.
    pub api_name: String,
    /// Description.
    pub description: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Which operations use it, and how; set once all are lowered.
    pub reach: Reach,
}

/// How operations use a named type, which decides the code it gets: a
/// type is only (de)serialized the ways it travels, and compiled only
/// when a feature that uses it is on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reach {
    /// Part of what some operation sends (a body or parameter): it needs
    /// `Serialize`.
    pub sent: bool,
    /// Part of what some operation receives: it needs `Deserialize`.
    pub received: bool,
    /// The features that compile it, in the order of [`Api::features`];
    /// empty when it is always compiled.
    pub features: Vec<String>,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with known fields.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
    },
    /// A string with known values; unknown values are kept, not rejected.
    Enum {
        /// Known values.
        variants: Vec<Variant>,
    },
    /// Another name for a type.
    Alias(TypeRef),
    /// One of several types (`oneOf`, `anyOf`); a value of none of them is
    /// kept as JSON in `Other`.
    Union {
        /// The alternatives, tried in order unless a discriminator decides.
        variants: Vec<UnionVariant>,
        /// The property whose value names the alternative.
        discriminator: Option<String>,
    },
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// UpperCamelCase variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Discriminator values that select it.
    pub tags: Vec<String>,
    /// Whether its type contains the union itself, so it must be boxed.
    pub boxed: bool,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// JSON member name.
    pub api_name: String,
    /// snake_case field name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the member must be present.
    pub required: bool,
    /// Whether the member may be `null`.
    pub nullable: bool,
    /// Optional and nullable in a type the client sends: an
    /// `Option<Option<_>>`, so that an explicit `null` can be sent apart from
    /// leaving the member out. Set after all types are known.
    pub send_null: bool,
    /// Whether the type refers back to the struct itself, so it must be boxed.
    pub boxed: bool,
    /// Description.
    pub description: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// An example value from the spec, for documentation.
    pub example: Option<serde_json::Value>,
    /// The members beyond the named properties (`additionalProperties`
    /// beside `properties`), by name: `ty` is a map, and the field takes
    /// every member no other field names. At most one per struct.
    pub rest: bool,
}

/// A known value of a string enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The value on the wire.
    pub api_name: String,
    /// UpperCamelCase variant name.
    pub rust_name: String,
}
