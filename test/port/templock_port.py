#!/usr/bin/env python3
"""templock_port: an independent implementation of SPEC.md (templock specification, version 1)
in Python 3 with the standard library only (hashlib, hmac), written from SPEC.md alone.

It reads the published vector files (default: the vectors/ folder beside test/), recomputes
every test from its inputs - template bytes, scores, the rejection of invalid inputs - and
prints one line per failure and a last line "N passed, N failed" (exit status 1 on a failure).

    python3 test/port/templock_port.py [vectors-dir] [--rfc DIR] [--spec SPEC.md] [--outputs FILE]

--rfc DIR also checks the ChaCha20 and HKDF code here against the RFC 8439 / RFC 5869 files of
DIR (ChaCha20-Poly1305 ciphertexts are the message XOR the keystream from block counter 1).
--spec SPEC.md recomputes every line of the worked example in its Appendix A.
--outputs FILE writes every outcome as JSON lines {"file", "tcId", "output" | "error"}, the
outputs file `templock vectors verify --outputs FILE` checks.
"""
import array
import hashlib
import hmac
import json
import math
import operator
import os
import struct
import sys

# ---------------------------------------------------------------------------------------------
# Errors (SPEC §1): the class names the vectors use.

class SpecError(Exception):
    """A rejection; `kind` is TypeError, RangeError, MALFORMED, UNSUPPORTED_VERSION or INCOMPATIBLE."""

    def __init__(self, kind, why):
        super().__init__(f'{kind}: {why}')
        self.kind = kind


def range_error(why):
    return SpecError('RangeError', why)


# ---------------------------------------------------------------------------------------------
# §3.2 ChaCha20 (RFC 8439 §2.3), computed for many consecutive block counters at once: each of
# the 16 state words is one Python integer holding one 32-bit lane per block in a 64-bit slot,
# so every add, xor and rotate below runs over all blocks together.

SIGMA = struct.unpack('<4I', b'expand 32-byte k')
WORD32 = 'I' if array.array('I').itemsize == 4 else 'L'
BATCH_BLOCKS = 4096


def _lanes(values, ones):
    return int.from_bytes(array.array('Q', values).tobytes(), 'little') if ones is None else values * ones


def chacha20_blocks(key, nonce, counter, count):
    """The keystream blocks counter..counter+count-1 of ChaCha20(key, nonce): 64*count bytes."""
    ones = int.from_bytes((b'\x01' + bytes(7)) * count, 'little')
    mask = 0xFFFFFFFF * ones
    words = list(SIGMA) + list(struct.unpack('<8I', key)) + [0] + list(struct.unpack('<3I', nonce))
    init = [w * ones for w in words]
    init[12] = int.from_bytes(array.array('Q', range(counter, counter + count)).tobytes(), 'little')
    x = list(init)

    def quarter(a, b, c, d):
        xa, xb, xc, xd = x[a], x[b], x[c], x[d]
        xa = (xa + xb) & mask
        xd ^= xa
        xd = ((xd << 16) | (xd >> 16)) & mask
        xc = (xc + xd) & mask
        xb ^= xc
        xb = ((xb << 12) | (xb >> 20)) & mask
        xa = (xa + xb) & mask
        xd ^= xa
        xd = ((xd << 8) | (xd >> 24)) & mask
        xc = (xc + xd) & mask
        xb ^= xc
        xb = ((xb << 7) | (xb >> 25)) & mask
        x[a], x[b], x[c], x[d] = xa, xb, xc, xd

    for _ in range(10):
        quarter(0, 4, 8, 12)
        quarter(1, 5, 9, 13)
        quarter(2, 6, 10, 14)
        quarter(3, 7, 11, 15)
        quarter(0, 5, 10, 15)
        quarter(1, 6, 11, 12)
        quarter(2, 7, 8, 13)
        quarter(3, 4, 9, 14)
    out = bytearray(64 * count)
    for w in range(16):
        lane_bytes = ((x[w] + init[w]) & mask).to_bytes(8 * count, 'little')
        for k in range(4):
            out[4 * w + k::64] = lane_bytes[k::8]
    return bytes(out)


class KeyStream:
    """§3.2: the ChaCha20 keystream under `stream_key`, zero nonce, counter from 0, read as one
    sequential byte stream, by bytes (read) or by little-endian 32-bit words (u32)."""

    def __init__(self, stream_key):
        self.key = stream_key
        self.counter = 0
        self.buf = b''
        self.pos = 0
        self._words = None

    def _ensure(self, n):
        if len(self.buf) - self.pos >= n:
            return
        missing = n - (len(self.buf) - self.pos)
        parts = [self.buf[self.pos:]]
        blocks = max(64, -(-missing // 64))
        while blocks > 0:
            step = min(blocks, BATCH_BLOCKS)
            parts.append(chacha20_blocks(self.key, bytes(12), self.counter, step))
            self.counter += step
            blocks -= step
        self.buf, self.pos = b''.join(parts), 0

    def read(self, n):
        self._words = None
        self._ensure(n)
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out

    def _word_iterator(self):
        while True:
            self._ensure(4 * 1024)
            words = array.array(WORD32, self.buf[self.pos:self.pos + 4 * ((len(self.buf) - self.pos) // 4)])
            if sys.byteorder != 'little':
                words.byteswap()
            for w in words:
                self.pos += 4
                yield w

    def u32(self):
        if self._words is None:
            self._words = self._word_iterator()
        return next(self._words)


# §3.2 HKDF-SHA256 (RFC 5869)

def hkdf_sha256(ikm, salt, info, length):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm, block, i = b'', b'', 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([i]), hashlib.sha256).digest()
        okm += block
        i += 1
    return okm[:length]


# ---------------------------------------------------------------------------------------------
# §3.3 - §3.5 samplers

def uniform(ks, n):
    limit = 2 ** 32 - (2 ** 32 % n)
    while True:
        r = ks.u32()
        if r < limit:
            return r % n


def partial_permutation(ks, n, k):
    a = list(range(n))
    for i in range(k):
        j = i + uniform(ks, n - i)
        a[i], a[j] = a[j], a[i]
    return a[:k]


POPCOUNT = bytes(bin(b).count('1') for b in range(256))


def binomial_weights(ks, count):
    counts = ks.read(2 * count).translate(POPCOUNT)
    return list(map(operator.sub, counts[0::2], counts[1::2]))


# ---------------------------------------------------------------------------------------------
# §1.1 / §1.2 parameters

SCHEMES = {'iom-grp': 1, 'iom-urp': 2, 'sign': 3}
SCHEME_NAMES = {v: k for k, v in SCHEMES.items()}
FIELDS = {'iom-grp': ('m', 'q'), 'iom-urp': ('m', 'k', 'p'), 'sign': ('bits',)}


def check_int(name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError('TypeError', f'{name} is not a number')
    if isinstance(value, float) and not value.is_integer():
        raise range_error(f'{name} is not an integer')
    if not lo <= value <= hi:
        raise range_error(f'{name} out of range')
    return int(value)


def check_params(params):
    """§1.1: validates a parameter object (JSON) and returns (scheme, d, a, b, c)."""
    if not isinstance(params, dict):
        raise SpecError('TypeError', 'params is not an object')
    scheme = params.get('scheme')
    if not isinstance(scheme, str):
        raise SpecError('TypeError', 'scheme is not a string')
    if scheme not in SCHEMES:
        raise range_error('unknown scheme')
    d = check_int('dim', params.get('dim'), 32, 4096)
    if scheme == 'iom-grp':
        m = check_int('m', params.get('m'), 16, 4096)
        q = check_int('q', params.get('q'), 2, 256)
        if m * q * d > 2 ** 26:
            raise range_error('m*q*d > 2^26')
        return scheme, d, m, q, 0
    if scheme == 'iom-urp':
        m = check_int('m', params.get('m'), 16, 4096)
        k = check_int('k', params.get('k'), 2, min(d, 256))
        p = check_int('p', params.get('p'), 1, 3)
        return scheme, d, m, k, p
    bits = check_int('bits', params.get('bits'), 64, 8192)
    if bits % 64 != 0:
        raise range_error('bits not a multiple of 64')
    return scheme, d, bits, 0, 0


def param_block(p):
    scheme, d, a, b, c = p
    return struct.pack('<BHHHB', SCHEMES[scheme], d, a, b, c)


def payload_bytes(p):
    scheme, _, a, _, _ = p
    return a // 8 if scheme == 'sign' else a


# ---------------------------------------------------------------------------------------------
# §2 canonicalisation

def f32_values(raw, d, name):
    if len(raw) != 4 * d:
        raise range_error(f'{name} has the wrong length')
    values = struct.unpack(f'<{d}f', raw)
    if not all(math.isfinite(v) for v in values):
        raise range_error(f'{name} has a non-finite value')
    return values


def canonicalise(x, mean):
    c = [xi - mi for xi, mi in zip(x, mean)] if mean is not None else list(x)
    s = 0.0
    for ci in c:
        s = s + ci * ci
    if s == 0:
        raise range_error('the centred embedding is zero')
    n = math.sqrt(s)
    # Python's round() on a float is round-half-even and exact.
    return [int(round((ci / n) * 16384)) for ci in c]


# ---------------------------------------------------------------------------------------------
# §3.1 identifiers and §3.2 stream key

def key_id(key):
    return hmac.new(key, b'templock/v1/key-id', hashlib.sha256).digest()[:8]


def mean_id(mean_raw):
    return bytes(8) if mean_raw is None else hashlib.sha256(b'templock/v1/mean' + mean_raw).digest()[:8]


def stream_key(key, salt, p):
    return hkdf_sha256(key, salt, b'templock/v1/transform' + param_block(p), 32)


# ---------------------------------------------------------------------------------------------
# §4 transforms; material is cached per stream key (it depends on key, salt and parameters only)

_material = {}


def material(key, salt, p):
    sk = stream_key(key, salt, p)
    if sk not in _material:
        ks = KeyStream(sk)
        scheme, d, a, b, c = p
        if scheme == 'iom-grp':
            w = binomial_weights(ks, a * b * d)
            _material[sk] = [w[r * d:(r + 1) * d] for r in range(a * b)]
        elif scheme == 'iom-urp':
            _material[sk] = [partial_permutation(ks, d, b) for _ in range(a * c)]
        else:
            w = binomial_weights(ks, a * d)
            _material[sk] = [w[r * d:(r + 1) * d] for r in range(a)]
    return _material[sk]


def transform(v, key, salt, p):
    scheme, d, a, b, c = p
    mat = material(key, salt, p)
    if scheme == 'iom-grp':
        m, q = a, b
        out = bytearray(m)
        for j in range(m):
            proj = [sum(map(operator.mul, mat[j * q + t], v)) for t in range(q)]
            out[j] = proj.index(max(proj))
        return bytes(out)
    if scheme == 'iom-urp':
        m, k, pp = a, b, c
        out = bytearray(m)
        for j in range(m):
            z = [1] * k
            for s in range(pp):
                perm = mat[j * pp + s]
                z = [zi * v[perm[i]] for i, zi in enumerate(z)]
            out[j] = z.index(max(z))
        return bytes(out)
    bits = a
    out = bytearray(bits // 8)
    for l in range(bits):
        if sum(map(operator.mul, mat[l], v)) > 0:
            out[l >> 3] |= 1 << (l & 7)
    return bytes(out)


def protect(embedding_raw, params, key, salt, mean_raw=None):
    """§1.1 validation order, §2, §4 and §5 encoding: the template bytes."""
    p = check_params(params)
    d = p[1]
    if len(key) != 32:
        raise range_error('key is not 32 bytes')
    mean = f32_values(mean_raw, d, 'mean') if mean_raw is not None else None
    if not 16 <= len(salt) <= 32:
        raise range_error('salt length')
    x = f32_values(embedding_raw, d, 'embedding')
    v = canonicalise(x, mean)
    return encode(p, salt, key_id(key), mean_id(mean_raw), transform(v, key, salt, p))


# ---------------------------------------------------------------------------------------------
# §5 template format v1

MAGIC = bytes.fromhex('544c5054')


def encode(p, salt, kid, mid, payload):
    return MAGIC + b'\x01' + param_block(p) + bytes([len(salt)]) + kid + mid + salt + payload


def decode(t):
    """Returns (p, salt, key_id, mean_id, payload) or raises MALFORMED / UNSUPPORTED_VERSION."""
    if not isinstance(t, (bytes, bytearray)):
        raise SpecError('TypeError', 'not bytes')
    malformed = lambda why: SpecError('MALFORMED', why)
    if len(t) < 5:
        raise malformed('truncated header')
    if t[0:4] != MAGIC:
        raise malformed('bad magic')
    if t[4] != 1:
        raise SpecError('UNSUPPORTED_VERSION', 'version')
    if len(t) < 30:
        raise malformed('truncated header')
    sid, d, a, b, c = struct.unpack('<BHHHB', t[5:13])
    if sid not in SCHEME_NAMES:
        raise malformed('unknown scheme')
    scheme = SCHEME_NAMES[sid]
    if not 32 <= d <= 4096:
        raise malformed('dim')
    fields = dict(zip(FIELDS[scheme], (a, b, c)))
    extra = (a, b, c)[len(FIELDS[scheme]):]
    if any(extra):
        raise malformed('nonzero unused parameter field')
    try:
        p = check_params(dict(scheme=scheme, dim=d, **fields))
    except SpecError:
        raise malformed('parameters out of range') from None
    s = t[13]
    if not 16 <= s <= 32:
        raise malformed('salt length')
    total = 30 + s + payload_bytes(p)
    if len(t) < total:
        raise malformed('truncated payload')
    if len(t) > total:
        raise malformed('trailing bytes')
    payload = bytes(t[30 + s:])
    if scheme != 'sign' and max(payload) >= b:
        raise malformed('payload index out of range')
    return p, bytes(t[30:30 + s]), bytes(t[14:22]), bytes(t[22:30]), payload


# §4.4 scores

def compare(ta, tb):
    a, b = decode(ta), decode(tb)
    if param_block(a[0]) != param_block(b[0]):
        raise SpecError('INCOMPATIBLE', 'parameters')
    if a[2] != b[2]:
        raise SpecError('INCOMPATIBLE', 'key')
    if a[3] != b[3]:
        raise SpecError('INCOMPATIBLE', 'mean')
    p, pa, pb = a[0], a[4], b[4]
    if p[0] == 'sign':
        h = sum(bin(x ^ y).count('1') for x, y in zip(pa, pb))
        return 1 - (h / p[2])
    return sum(1 for x, y in zip(pa, pb) if x == y) / p[2]


# ---------------------------------------------------------------------------------------------
# The vector files (vectors/README.md): one runner per schema computes a test's output, or
# raises SpecError whose kind is compared with an invalid test's `error`.

def unhex(text, name='hex'):
    if not isinstance(text, str):
        raise SpecError('TypeError', f'{name} is not a string')
    if len(text) % 2 or any(ch not in '0123456789abcdef' for ch in text):
        raise range_error(f'{name} is not lowercase hex')
    return bytes.fromhex(text)


def f32_hex(text, name):
    raw = unhex(text, name)
    if len(raw) % 4:
        raise range_error(f'{name} is not a whole number of float32 values')
    return raw


def group_mean(group):
    return f32_hex(group['mean'], 'mean') if 'mean' in group else None


def run_canonical(group, test):
    d = check_int('dim', group.get('dim'), 32, 4096)
    mean_raw = group_mean(group)
    mean = f32_values(mean_raw, d, 'mean') if mean_raw is not None else None
    x = f32_values(f32_hex(test['embedding'], 'embedding'), d, 'embedding')
    return struct.pack(f'<{d}h', *canonicalise(x, mean)).hex()


def run_samplers(group, test):
    ks = KeyStream(unhex(test['streamKey'], 'streamKey'))
    if len(ks.key) != 32:
        raise range_error('stream key is not 32 bytes')
    count = check_int('count', test.get('count'), 1, 4096)
    sampler = group['sampler']
    if sampler == 'uniform':
        n = check_int('n', test.get('n'), 1, 2 ** 32)
        return [uniform(ks, n) for _ in range(count)]
    if sampler == 'permutation':
        n = check_int('n', test.get('n'), 1, 4096)
        k = check_int('k', test.get('k'), 1, n)
        return [partial_permutation(ks, n, k) for _ in range(count)]
    if sampler == 'binomial':
        return binomial_weights(ks, count)
    raise range_error('unknown sampler')


def material_bytes(p, mat):
    if p[0] == 'iom-urp':
        return b''.join(array.array('H', perm).tobytes() if sys.byteorder == 'little' else struct.pack(f'<{len(perm)}H', *perm) for perm in mat)
    return b''.join(array.array('b', row).tobytes() for row in mat)


def run_derivation(group, test):
    p = check_params(group['params'])
    key = unhex(test['key'], 'key')
    if len(key) != 32:
        raise range_error('key is not 32 bytes')
    mean_raw = group_mean(group)
    if mean_raw is not None:
        f32_values(mean_raw, p[1], 'mean')
    salt = unhex(test['salt'], 'salt')
    if not 16 <= len(salt) <= 32:
        raise range_error('salt length')
    sk = stream_key(key, salt, p)
    mat = material_bytes(p, material(key, salt, p))
    return {
        'info': (b'templock/v1/transform' + param_block(p)).hex(),
        'streamKey': sk.hex(),
        'keyId': key_id(key).hex(),
        'meanId': mean_id(mean_raw).hex(),
        'keystream': KeyStream(sk).read(64).hex(),
        'materialHead': mat[:64].hex(),
        'materialSha256': hashlib.sha256(mat).hexdigest(),
    }


def run_protect(group, test):
    return protect(unhex(test['embedding'], 'embedding'), group['params'], unhex(test['key'], 'key'),
                   unhex(test['salt'], 'salt'), group_mean(group)).hex()


def run_compare(group, test):
    return compare(unhex(test['a'], 'a'), unhex(test['b'], 'b'))


def run_template(group, test):
    p, salt, kid, mid, payload = decode(unhex(test['template'], 'template'))
    return {'params': dict(scheme=p[0], dim=p[1], **dict(zip(FIELDS[p[0]], p[2:]))),
            'salt': salt.hex(), 'keyId': kid.hex(), 'meanId': mid.hex(), 'payload': payload.hex()}


RUNNERS = {
    'canonical_v1.schema.json': ('canonical', run_canonical),
    'samplers_v1.schema.json': ('values', run_samplers),
    'derivation_v1.schema.json': ('derived', run_derivation),
    'protect_v1.schema.json': ('template', run_protect),
    'compare_v1.schema.json': ('score', run_compare),
    'template_v1.schema.json': ('decoded', run_template),
}


def run_file(path, outputs=None):
    """(passed, failure lines) for one vector file; appends each outcome line to `outputs`."""
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    name = os.path.basename(path)
    if doc.get('schema') not in RUNNERS:
        return 0, [f'{name}: no runner for schema {doc.get("schema")!r}']
    output_key, runner = RUNNERS[doc['schema']]
    passed, failures = 0, []
    tests = [(g, t) for g in doc['testGroups'] for t in g['tests']]
    if len(tests) != doc.get('numberOfTests'):
        failures.append(f'{name}: numberOfTests {doc.get("numberOfTests")} but {len(tests)} tests')
    for group, test in tests:
        try:
            outcome = ('output', runner(group, test))
        except SpecError as e:
            outcome = ('error', e.kind)
        if outputs is not None:
            outputs.append(json.dumps({'file': name, 'tcId': test['tcId'], outcome[0]: outcome[1]}))
        expected = ('error', test.get('error')) if test['result'] == 'invalid' else ('output', test.get(output_key))
        if outcome == expected:
            passed += 1
        else:
            failures.append(f'{name} tcId {test["tcId"]} ({test["comment"]}): expected {summary(expected)}, got {summary(outcome)}')
    return passed, failures


def summary(outcome):
    kind, value = outcome
    if kind == 'error':
        return f'error {value}'
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + '...'


def check_rfc(rfc_dir):
    """(passed, failure lines) of the ChaCha20 and HKDF code against the RFC files of rfc_dir."""
    passed, failures = 0, []
    with open(os.path.join(rfc_dir, 'rfc8439_chacha20_poly1305.json'), encoding='utf-8') as f:
        for t in json.load(f)['tests']:
            msg = bytes.fromhex(t['msg'])
            ks = chacha20_blocks(bytes.fromhex(t['key']), bytes.fromhex(t['iv']), 1, -(-len(msg) // 64))
            ok = bytes(a ^ b for a, b in zip(msg, ks)).hex() == t['ct']
            passed += ok
            failures += [] if ok else [f'RFC 8439 tcId {t["tcId"]}: ciphertext differs']
    with open(os.path.join(rfc_dir, 'rfc5869_hkdf_sha256.json'), encoding='utf-8') as f:
        for t in json.load(f)['tests']:
            ok = hkdf_sha256(*(bytes.fromhex(t[k]) for k in ('ikm', 'salt', 'info')), t['size']).hex() == t['okm']
            passed += ok
            failures += [] if ok else [f'RFC 5869 tcId {t["tcId"]}: OKM differs']
    return passed, failures


# ---------------------------------------------------------------------------------------------
# SPEC.md Appendix A: the worked example, recomputed from its stated inputs.

def js_number(v):
    """A float as JavaScript prints it (shortest round trip, integers without a fraction)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def worked_example():
    """The lines of the Appendix A block as this port computes them, name -> value."""
    d = 32
    x = [((7 * i) % 11 - 5) / 4 for i in range(d)]
    key, salt = bytes(range(32)), bytes(range(0xa0, 0xb0))
    c = list(struct.unpack(f'<{d}f', struct.pack(f'<{d}f', *x)))
    s = 0.0
    for ci in c:
        s = s + ci * ci
    n = math.sqrt(s)
    v = canonicalise(c, None)
    ints = lambda xs: ' '.join(str(int(e)) for e in xs)
    bits = lambda f: struct.pack('>d', f).hex()
    raw = struct.pack(f'<{d}f', *x)
    lines = {
        'x': ' '.join(js_number(e) for e in c),
        's': f'{js_number(s)} (float64 {bits(s)})',
        'n': f'{js_number(n)} (float64 {bits(n)})',
        'v': ints(v),
        'key_id': key_id(key).hex(),
    }
    schemes = {
        'grp': dict(scheme='iom-grp', dim=d, m=16, q=4),
        'urp': dict(scheme='iom-urp', dim=d, m=16, k=4, p=2),
        'sign': dict(scheme='sign', dim=d, bits=64),
    }
    for short, params in schemes.items():
        p = check_params(params)
        sk = stream_key(key, salt, p)
        mat = material(key, salt, p)
        lines[f'{short}.info'] = (b'templock/v1/transform' + param_block(p)).hex()
        lines[f'{short}.stream_key'] = sk.hex()
        lines[f'{short}.keystream[0..32)'] = KeyStream(sk).read(32).hex()
        template = protect(raw, params, key, salt)
        payload = decode(template)[4]
        dot = lambda row: sum(map(operator.mul, row, v))
        if short == 'grp':
            lines['grp.W[0][0..8)'] = ints(mat[0][:8])
            lines['grp.proj(0..4) (hash 0)'] = ints(dot(mat[r]) for r in range(0, 4))
            lines['grp.proj(4..8) (hash 1)'] = ints(dot(mat[r]) for r in range(4, 8))
            lines['grp.payload'] = ints(payload)
        elif short == 'urp':
            lines['urp.P[0]'] = ints(mat[0])
            lines['urp.P[1]'] = ints(mat[1])
            lines['urp.z (hash 0)'] = ints(v[mat[0][i]] * v[mat[1][i]] for i in range(4))
            lines['urp.payload'] = ints(payload)
        else:
            lines['sign.proj(0..8)'] = ints(dot(mat[r]) for r in range(8))
            lines['sign.payload'] = payload.hex()
            negated = list(c)
            negated[1] = -negated[1]
            other = protect(struct.pack(f'<{d}f', *negated), params, key, salt)
            lines['sign.payload (x[1] negated)'] = decode(other)[4].hex()
            lines['sign.score'] = js_number(compare(template, other))
        lines[f'{short}.template'] = template.hex()
    return lines


def check_spec_example(spec_path):
    """(passed, failure lines): every line of the Appendix A block against worked_example()."""
    with open(spec_path, encoding='utf-8') as f:
        text = f.read()
    appendix = text[text.find('## Appendix A'):]
    start = appendix.find('```text\n')
    if start < 0:
        return 0, ['SPEC.md Appendix A: no ```text block']
    block = appendix[start + len('```text\n'):appendix.find('\n```', start + 1)]
    mine = worked_example()
    passed, failures = 0, []
    for line in block.split('\n'):
        name, _, value = line.partition(' = ')
        if name not in mine:
            failures.append(f'SPEC.md Appendix A: {name!r} is not a value this port knows how to compute')
        elif mine[name] != value:
            failures.append(f'SPEC.md Appendix A: {name} = {value}, the port computes {mine[name]}')
        else:
            passed += 1
    return passed, failures


def main(argv):
    args = list(argv)
    rfc_dir = None
    if '--rfc' in args:
        i = args.index('--rfc')
        rfc_dir = args[i + 1]
        del args[i:i + 2]
    spec_path = None
    if '--spec' in args:
        i = args.index('--spec')
        spec_path = args[i + 1]
        del args[i:i + 2]
    outputs_path = None
    if '--outputs' in args:
        i = args.index('--outputs')
        outputs_path = args[i + 1]
        del args[i:i + 2]
    outputs = [] if outputs_path is not None else None
    here = os.path.dirname(os.path.abspath(__file__))
    vectors_dir = args[0] if args else os.path.join(here, '..', '..', 'vectors')
    files = sorted(f for f in os.listdir(vectors_dir) if f.endswith('.json'))
    passed, failures = 0, []
    if rfc_dir is not None:
        p, f = check_rfc(rfc_dir)
        passed += p
        failures += f
    if spec_path is not None:
        p, f = check_spec_example(spec_path)
        print(f'SPEC.md Appendix A: {p} passed, {len(f)} failed')
        passed += p
        failures += f
    for name in files:
        p, f = run_file(os.path.join(vectors_dir, name), outputs)
        print(f'{name}: {p} passed, {len(f)} failed')
        passed += p
        failures += f
    if outputs_path is not None:
        with open(outputs_path, 'w', encoding='utf-8') as f:
            f.write(''.join(line + '\n' for line in outputs))
    for line in failures:
        print('FAIL ' + line)
    if not files:
        failures.append('no vector files')
        print(f'FAIL no vector files in {vectors_dir}')
    print(f'{passed} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
