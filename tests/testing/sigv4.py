"""A small, self-contained AWS Signature Version 4 signer for integration tests.

It is deliberately independent of botocore so that the raw-HTTP tests cross-check the
server's verifier against a second implementation (and can produce deliberately broken
requests: wrong keys, skewed clocks, bad chunk signatures). Pure functions, thread-safe.

References: AWS S3 API docs "Authenticating Requests (AWS Signature Version 4)",
"sigv4-streaming" (aws-chunked) and "sigv4-streaming-trailers".
"""

import base64
import datetime
import hashlib
import hmac
import urllib.parse
import zlib

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def uri_encode(value: str, encode_slash: bool = True) -> str:
    """AWS UriEncode: unreserved characters stay, everything else is %XX (uppercase)."""
    safe = "-_.~" if encode_slash else "-_.~/"
    return urllib.parse.quote(value, safe=safe)


def amz_timestamp(when: datetime.datetime) -> str:
    return when.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def canonical_query(query) -> str:
    """query: iterable of (name, value) pairs, not yet encoded."""
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in query)
    return "&".join(f"{k}={v}" for k, v in pairs)


def query_string(query) -> str:
    """The query as sent on the wire (same encoding as the canonical form)."""
    return "&".join(f"{uri_encode(k)}={uri_encode(v)}" for k, v in query)


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    k_date = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    return _hmac(k_service, "aws4_request")


class Credentials:
    def __init__(self, access_key: str, secret_key: str, region: str = "us-east-1",
                 service: str = "s3"):
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.service = service


class SignedRequest:
    """Result of signing: headers to send and values needed to sign aws-chunked bodies."""

    def __init__(self, headers, signature, amz_date, scope, key, canonical_request):
        self.headers = headers
        self.signature = signature
        self.amz_date = amz_date
        self.scope = scope
        self.key = key
        self.canonical_request = canonical_request


def sign_request(creds: Credentials, method: str, path: str, query=(), headers=None,
                 payload_hash: str = EMPTY_SHA256, when: datetime.datetime = None,
                 host: str = None) -> SignedRequest:
    """Signs a request with the Authorization header.

    path is the raw (decoded) path, e.g. "/bucket/a b.txt"; it is UriEncoded per segment.
    headers: dict of headers to sign (Host is added from `host` when given).
    Returns a SignedRequest whose .headers include x-amz-date, x-amz-content-sha256 and
    Authorization.
    """
    when = when or utc_now()
    amz_date = amz_timestamp(when)
    date = amz_date[:8]
    hdrs = dict(headers or {})
    if host is not None:
        hdrs["Host"] = host
    hdrs["x-amz-date"] = amz_date
    hdrs["x-amz-content-sha256"] = payload_hash
    canon = {}
    for k, v in hdrs.items():
        canon[k.lower().strip()] = " ".join(str(v).split())
    signed_names = sorted(canon)
    canonical_headers = "".join(f"{n}:{canon[n]}\n" for n in signed_names)
    signed_headers = ";".join(signed_names)
    canonical_request = "\n".join([
        method, uri_encode(path, encode_slash=False), canonical_query(query), canonical_headers,
        signed_headers, payload_hash
    ])
    scope = f"{date}/{creds.region}/{creds.service}/aws4_request"
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, sha256_hex(canonical_request.encode())])
    key = signing_key(creds.secret_key, date, creds.region, creds.service)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    hdrs["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{scope}, "
                             f"SignedHeaders={signed_headers}, Signature={signature}")
    return SignedRequest(hdrs, signature, amz_date, scope, key, canonical_request)


def presign_url(creds: Credentials, method: str, host: str, path: str, expires: int = 300,
                query=(), when: datetime.datetime = None, scheme: str = "http") -> str:
    """Returns a query-string-signed URL (X-Amz-Signature), payload UNSIGNED-PAYLOAD."""
    when = when or utc_now()
    amz_date = amz_timestamp(when)
    date = amz_date[:8]
    scope = f"{date}/{creds.region}/{creds.service}/aws4_request"
    q = list(query) + [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{creds.access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    canonical_request = "\n".join([
        method, uri_encode(path, encode_slash=False), canonical_query(q), f"host:{host}\n",
        "host", UNSIGNED_PAYLOAD
    ])
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, sha256_hex(canonical_request.encode())])
    key = signing_key(creds.secret_key, date, creds.region, creds.service)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    q.append(("X-Amz-Signature", signature))
    return f"{scheme}://{host}{uri_encode(path, encode_slash=False)}?{query_string(q)}"


def chunk_signature(signed: SignedRequest, previous_signature: str, chunk: bytes) -> str:
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256-PAYLOAD", signed.amz_date, signed.scope, previous_signature,
        EMPTY_SHA256, sha256_hex(chunk)
    ])
    return hmac.new(signed.key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def trailer_signature(signed: SignedRequest, previous_signature: str, trailers) -> str:
    canonical = "".join(f"{k.lower()}:{v}\n" for k, v in trailers)
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256-TRAILER", signed.amz_date, signed.scope, previous_signature,
        sha256_hex(canonical.encode())
    ])
    return hmac.new(signed.key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def crc32_b64(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def split_chunks(data: bytes, chunk_size: int):
    return [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)]


def encode_signed_chunks(signed: SignedRequest, chunks, trailers=None,
                         corrupt_chunk_index: int = -1) -> bytes:
    """aws-chunked body with chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]).

    chunks: list of bytes (without the final empty chunk, which is added).
    trailers: list of (name, value) for the -TRAILER variant, or None.
    corrupt_chunk_index: if >= 0, that chunk's signature is replaced by a wrong one.
    """
    out = bytearray()
    prev = signed.signature
    for i, chunk in enumerate(list(chunks) + [b""]):
        sig = chunk_signature(signed, prev, chunk)
        prev = sig
        if i == corrupt_chunk_index:
            sig = "0" * 64
        out += f"{len(chunk):x};chunk-signature={sig}\r\n".encode() + chunk + b"\r\n"
    if trailers is not None:
        # The final 0-size chunk ends with its own CRLF above; trailers follow it.
        del out[-2:]
        for k, v in trailers:
            out += f"{k}:{v}\r\n".encode()
        out += f"x-amz-trailer-signature:{trailer_signature(signed, prev, trailers)}\r\n".encode()
        out += b"\r\n"
    return bytes(out)


def encode_unsigned_chunks(chunks, trailers) -> bytes:
    """aws-chunked body for STREAMING-UNSIGNED-PAYLOAD-TRAILER (as botocore produces it)."""
    out = bytearray()
    for chunk in chunks:
        out += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    out += b"0\r\n"
    for k, v in trailers:
        out += f"{k}:{v}\r\n".encode()
    out += b"\r\n"
    return bytes(out)
