#!/usr/bin/env python3
"""templock_port: an independent implementation of SPEC.md (templock specification, version 1)
in Python 3 with the standard library only (hashlib, hmac), written from SPEC.md alone.

It covers canonicalisation, key derivation, samplers, the three transforms, scores, key binding by
fuzzy commitment (§4.5: its BCH code and decoder written here too), the template format (§2-§5),
sealed records of formats v1 and v2 with both AEADs (§7.4) and the store manifest's hashes and
head (§7.6), the AEADs and AES written here too. It
reads the published vector files (default: the vectors/ folder beside test/), recomputes every
test from its inputs - template bytes, scores, opened records, the rejection of invalid inputs -
and prints one line per failure and a last line "N passed, N failed" (exit status 1 on a failure).

    python3 test/port/templock_port.py [vectors-dir] [--rfc DIR] [--wycheproof DIR] [--spec SPEC.md]
                                       [--outputs FILE]

--rfc DIR also checks the ChaCha20 and HKDF code here against the RFC 8439 / RFC 5869 files of
DIR (ChaCha20-Poly1305 ciphertexts are the message XOR the keystream from block counter 1).
--wycheproof DIR checks the AEADs of sealed records (§7.2) against the Project Wycheproof
ChaCha20-Poly1305, XChaCha20-Poly1305 and AES-GCM-SIV files of DIR.
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
    """A rejection; `kind` is TypeError, RangeError or a domain code (MALFORMED, UNSUPPORTED_VERSION, ROLLBACK, INTEGRITY, ...)."""

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


def chacha_rounds(x, mask):
    """The 20 ChaCha rounds (RFC 8439 §2.3) on the 16 state words `x`, in place. A word is one
    32-bit value (mask 0xffffffff) or many 32-bit lanes in 64-bit slots (mask of every lane)."""

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
    return x


def chacha20_blocks(key, nonce, counter, count):
    """The keystream blocks counter..counter+count-1 of ChaCha20(key, nonce): 64*count bytes."""
    ones = int.from_bytes((b'\x01' + bytes(7)) * count, 'little')
    mask = 0xFFFFFFFF * ones
    words = list(SIGMA) + list(struct.unpack('<8I', key)) + [0] + list(struct.unpack('<3I', nonce))
    init = [w * ones for w in words]
    init[12] = int.from_bytes(array.array('Q', range(counter, counter + count)).tobytes(), 'little')
    x = chacha_rounds(list(init), mask)
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


def block_params(sid, d, a, b, c):
    """§5 rules 6-8: the parameters of a parameter block's fields, or MALFORMED."""
    if sid not in SCHEME_NAMES:
        raise SpecError('MALFORMED', 'unknown scheme')
    scheme = SCHEME_NAMES[sid]
    if not 32 <= d <= 4096:
        raise SpecError('MALFORMED', 'dim')
    if any((a, b, c)[len(FIELDS[scheme]):]):
        raise SpecError('MALFORMED', 'nonzero unused parameter field')
    try:
        return check_params(dict(scheme=scheme, dim=d, **dict(zip(FIELDS[scheme], (a, b, c)))))
    except SpecError:
        raise SpecError('MALFORMED', 'parameters out of range') from None


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
    p = block_params(*struct.unpack('<BHHHB', t[5:13]))
    s = t[13]
    if not 16 <= s <= 32:
        raise malformed('salt length')
    total = 30 + s + payload_bytes(p)
    if len(t) < total:
        raise malformed('truncated payload')
    if len(t) > total:
        raise malformed('trailing bytes')
    payload = bytes(t[30 + s:])
    if p[0] != 'sign' and max(payload) >= p[3]:
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
# §4.5 key binding by fuzzy commitment (scheme id 4)

BCH_POLY = {6: 0x43, 7: 0x89, 8: 0x11d, 9: 0x211, 10: 0x409}
_bch = {}


def bch(m, t):
    """§4.5.2: (n, k, g, exp, log) of the primitive narrow-sense BCH code over GF(2^m)."""
    if (m, t) in _bch:
        return _bch[(m, t)]
    n = 2 ** m - 1
    exp, log = [0] * (2 * n), [0] * (n + 1)
    x = 1
    for i in range(n):
        exp[i] = exp[i + n] = x
        log[x] = i
        x <<= 1
        if x >> m:
            x ^= BCH_POLY[m]
    mul = lambda a, b: 0 if a == 0 or b == 0 else exp[log[a] + log[b]]
    g, done = [1], set()
    for i in range(1, 2 * t + 1):
        if i in done:
            continue
        coset, e = [], i
        while e not in coset:
            coset.append(e)
            e = 2 * e % n
        done.update(coset)
        mp = [1]                      # prod over the coset of (x + alpha^e), low degree first
        for e in coset:
            mp = [(mp[j - 1] if j else 0) ^ (mul(mp[j], exp[e]) if j < len(mp) else 0) for j in range(len(mp) + 1)]
        prod = [0] * (len(g) + len(mp) - 1)
        for a, ga in enumerate(g):
            for b, mb in enumerate(mp):
                prod[a + b] ^= ga & mb
        g = prod
    _bch[(m, t)] = (n, n - (len(g) - 1), g, exp, log)
    return _bch[(m, t)]


def bch_encode(code, msg):
    n, k, g, _, _ = code
    r = n - k
    rem = [0] * (n)                   # x^(n-k) * msg(x), reduced mod g(x) by long division
    for i, bit in enumerate(msg):
        rem[r + i] = bit
    for deg in range(n - 1, r - 1, -1):
        if rem[deg]:
            for j, gj in enumerate(g):
                rem[deg - r + j] ^= gj
    return rem[:r] + list(msg)


def syndromes(code, t, word):
    n, _, _, exp, _ = code
    ones = [j for j, bit in enumerate(word) if bit]
    out = [0] * (2 * t + 1)
    for i in range(1, 2 * t + 1):
        for j in ones:
            out[i] ^= exp[i * j % n]
    return out


def bch_decode(code, t, word):
    """§4.5.2 bounded-distance decoding: the codeword within distance t, or None."""
    n, _, _, exp, log = code
    S = syndromes(code, t, word)
    if not any(S[1:]):
        return list(word)
    mul = lambda a, b: 0 if a == 0 or b == 0 else exp[log[a] + log[b]]
    inv = lambda a: exp[(n - log[a]) % n]
    C, B, L, shift, b = [1], [1], 0, 1, 1
    for r in range(2 * t):           # Berlekamp-Massey
        d = S[r + 1]
        for i in range(1, L + 1):
            if i < len(C):
                d ^= mul(C[i], S[r + 1 - i])
        if d == 0:
            shift += 1
            continue
        coef = mul(d, inv(b))
        T = list(C)
        C = C + [0] * max(0, len(B) + shift - len(C))
        for i, bi in enumerate(B):
            C[i + shift] ^= mul(coef, bi)
        if 2 * L <= r:
            L, B, b, shift = r + 1 - L, T, d, 1
        else:
            shift += 1
    if L > t:
        return None
    roots = []
    for p in range(n):               # Chien search: Lambda(alpha^-p) = 0
        v = 0
        for i, ci in enumerate(C[:L + 1]):
            if ci:
                v ^= exp[(log[ci] + (n - p) * i) % n]
        if v == 0:
            roots.append(p)
    if len(roots) != L:
        return None
    fixed = list(word)
    for p in roots:
        fixed[p] ^= 1
    return fixed if not any(syndromes(code, t, fixed)[1:]) else None


def check_binding_params(params):
    """§1.1: (scheme, d, t, r, m) of fuzzy-commitment parameters."""
    if not isinstance(params, dict):
        raise SpecError('TypeError', 'params is not an object')
    if not isinstance(params.get('scheme'), str):
        raise SpecError('TypeError', 'scheme is not a string')
    if params['scheme'] != 'fuzzy-commitment':
        raise range_error('not fuzzy-commitment')
    d = check_int('dim', params.get('dim'), 32, 4096)
    m = check_int('m', params.get('m'), 6, 10)
    n = 2 ** m - 1
    t = check_int('t', params.get('t'), 1, (n - 1) // 2)
    r = check_int('r', params.get('r'), 1, 16)
    if n * r * d > 2 ** 25:
        raise range_error('n*r*d > 2^25')
    if bch(m, t)[1] < 32:
        raise range_error('fewer than 32 message bits')
    return 'fuzzy-commitment', d, t, r, m


def binding_block(p):
    _, d, t, r, m = p
    return struct.pack('<BHHHB', 4, d, t, r, m)


_fc_material = {}


def binding_projections(v, key, salt, p):
    """§4.5.1: slot(l) and proj(l) for l in [0, L)."""
    _, d, t, r, m = p
    L = (2 ** m - 1) * r
    sk = hkdf_sha256(key, salt, b'templock/v1/transform' + binding_block((p[0], d, 0, r, m)), 32)
    if sk not in _fc_material:
        ks = KeyStream(sk)
        pi = partial_permutation(ks, L, L)
        w = binomial_weights(ks, L * d)
        _fc_material[sk] = ([x // r for x in pi], [w[l * d:(l + 1) * d] for l in range(L)])
    slot, rows = _fc_material[sk]
    return slot, [sum(map(operator.mul, row, v)) for row in rows]


def fc_commitment(p, salt, msg):
    return hashlib.sha256(b'templock/v1/fuzzy-commitment/commit' + binding_block(p) + salt + msg).digest()


def fc_key(p, salt, kid, msg):
    return hkdf_sha256(msg, salt, b'templock/v1/fuzzy-commitment/key' + binding_block(p) + kid, 32)


def bits_of(data, count):
    return [(data[i >> 3] >> (i & 7)) & 1 for i in range(count)]


def pack_bits(bits):
    out = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        out[i >> 3] |= bit << (i & 7)
    return bytes(out)


def bind_key(embedding_raw, params, key, salt, secret, mean_raw=None):
    """§4.5.3: (template bytes, released key)."""
    p = check_binding_params(params)
    _, d, t, r, m = p
    if len(key) != 32:
        raise range_error('key is not 32 bytes')
    mean = f32_values(mean_raw, d, 'mean') if mean_raw is not None else None
    if not 16 <= len(salt) <= 32:
        raise range_error('salt length')
    code = bch(m, t)
    n, k = code[0], code[1]
    if len(secret) != (k + 7) // 8 or (k % 8 and secret[-1] >> (k % 8)):
        raise range_error('message size or padding bits')
    v = canonicalise(f32_values(embedding_raw, d, 'embedding'), mean)
    c = bch_encode(code, bits_of(secret, k))
    slot, proj = binding_projections(v, key, salt, p)
    helper = pack_bits([(1 if proj[l] > 0 else 0) ^ c[slot[l]] for l in range(n * r)])
    kid = key_id(key)
    template = MAGIC + b'\x01' + binding_block(p) + bytes([len(salt)]) + kid + mean_id(mean_raw) + salt + helper + fc_commitment(p, salt, secret)
    return template, fc_key(p, salt, kid, secret)


def decode_bound(tb):
    """§5 for scheme id 4: (p, salt, key_id, mean_id, helper, commitment)."""
    malformed = lambda why: SpecError('MALFORMED', why)
    if len(tb) < 5 or tb[0:4] != MAGIC:
        raise malformed('magic')
    if tb[4] != 1:
        raise SpecError('UNSUPPORTED_VERSION', 'version')
    if len(tb) < 30:
        raise malformed('truncated header')
    sid, d, a, b, c = struct.unpack('<BHHHB', tb[5:13])
    if sid != 4:
        raise malformed('not key binding')
    if not 32 <= d <= 4096:
        raise malformed('dim')
    try:
        p = check_binding_params({'scheme': 'fuzzy-commitment', 'dim': d, 'm': c, 't': a, 'r': b})
    except SpecError:
        raise malformed('parameters') from None
    s = tb[13]
    if not 16 <= s <= 32:
        raise malformed('salt length')
    L = (2 ** p[4] - 1) * p[3]
    hb = (L + 7) // 8
    total = 30 + s + hb + 32
    if len(tb) != total:
        raise malformed('length')
    helper = bytes(tb[30 + s:30 + s + hb])
    if L % 8 and helper[-1] >> (L % 8):
        raise malformed('padding bits')
    return p, bytes(tb[30:30 + s]), bytes(tb[14:22]), bytes(tb[22:30]), helper, bytes(tb[30 + s + hb:])


def release_key(probe_raw, tb, key, mean_raw=None):
    """§4.5.4: (accepted, key or None)."""
    p, salt, kid, mid, helper, commitment = decode_bound(tb)
    _, d, t, r, m = p
    if len(key) != 32:
        raise range_error('key is not 32 bytes')
    mean = f32_values(mean_raw, d, 'mean') if mean_raw is not None else None
    if key_id(key) != kid:
        raise SpecError('INCOMPATIBLE', 'key')
    if mean_id(mean_raw) != mid:
        raise SpecError('INCOMPATIBLE', 'mean')
    v = canonicalise(f32_values(probe_raw, d, 'embedding'), mean)
    code = bch(m, t)
    n, k = code[0], code[1]
    slot, proj = binding_projections(v, key, salt, p)
    h = bits_of(helper, n * r)
    s = [0] * n
    for l in range(n * r):
        s[slot[l]] += -proj[l] if h[l] else proj[l]
    cw = bch_decode(code, t, [1 if x > 0 else 0 for x in s])
    if cw is None:
        return False, None
    msg = pack_bits(cw[n - k:])
    if fc_commitment(p, salt, msg) != commitment:
        return False, None
    return True, fc_key(p, salt, kid, msg)


# ---------------------------------------------------------------------------------------------
# §7.2 AEADs: XChaCha20-Poly1305 (RFC 8439 §2.5-2.8 with HChaCha20 of draft-irtf-cfrg-xchacha-03)
# and AES-256-GCM-SIV (RFC 8452, on AES of FIPS 197). Decryption failures raise AuthError.

class AuthError(Exception):
    """An AEAD tag did not verify."""


def poly1305(key, msg):
    r = int.from_bytes(key[:16], 'little') & 0x0ffffffc0ffffffc0ffffffc0fffffff
    s, p, acc = int.from_bytes(key[16:], 'little'), (1 << 130) - 5, 0
    for i in range(0, len(msg), 16):
        acc = (acc + int.from_bytes(msg[i:i + 16] + b'\x01', 'little')) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, 'little')


def pad16(b):
    return bytes(-len(b) % 16)


def hchacha20(key, nonce16):
    x = chacha_rounds(list(SIGMA) + list(struct.unpack('<8I', key)) + list(struct.unpack('<4I', nonce16)), 0xFFFFFFFF)
    return struct.pack('<8I', *(x[0:4] + x[12:16]))


def chacha20_poly1305(key, nonce, aad, data, decrypt):
    """RFC 8439 §2.8 with a 12-byte nonce: (ciphertext || tag), or the plaintext of ct || tag."""
    if len(key) != 32 or len(nonce) != 12:
        raise AuthError('key or nonce length')
    if decrypt:
        if len(data) < 16:
            raise AuthError('shorter than a tag')
        data, tag = data[:-16], data[-16:]
    blocks = chacha20_blocks(key, nonce, 0, 1 + -(-len(data) // 64))
    out = bytes(a ^ b for a, b in zip(data, blocks[64:]))
    ct = data if decrypt else out
    mac = poly1305(blocks[:32], aad + pad16(aad) + ct + pad16(ct) + struct.pack('<QQ', len(aad), len(ct)))
    if decrypt:
        if not hmac.compare_digest(mac, tag):
            raise AuthError('tag')
        return out
    return out + mac


def xchacha20_poly1305(key, nonce, aad, data, decrypt):
    if len(key) != 32 or len(nonce) != 24:
        raise AuthError('key or nonce length')
    return chacha20_poly1305(hchacha20(key, nonce[:16]), bytes(4) + nonce[16:], aad, data, decrypt)


def _gf256_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = ((a << 1) ^ 0x11b) if a & 0x80 else a << 1
        b >>= 1
    return r


def _sbox():
    box = []
    for b in range(256):
        inv = 0 if b == 0 else next(c for c in range(1, 256) if _gf256_mul(b, c) == 1)
        rot = lambda v, n: ((v << n) | (v >> (8 - n))) & 0xff
        box.append(inv ^ rot(inv, 1) ^ rot(inv, 2) ^ rot(inv, 3) ^ rot(inv, 4) ^ 0x63)
    return bytes(box)


SBOX = _sbox()


def aes_round_keys(key):
    """FIPS 197 key expansion for 16- or 32-byte keys: the round keys as 16-byte strings."""
    nk = len(key) // 4
    rounds = nk + 6
    w = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        t = list(w[i - 1])
        if i % nk == 0:
            t = [SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _gf256_mul(rcon, 2)
        elif nk > 6 and i % nk == 4:
            t = [SBOX[b] for b in t]
        w.append([a ^ b for a, b in zip(w[i - nk], t)])
    return [bytes(sum(w[4 * r:4 * r + 4], [])) for r in range(rounds + 1)]


def aes_encrypt_block(round_keys, block):
    s = [a ^ b for a, b in zip(block, round_keys[0])]
    for r in range(1, len(round_keys)):
        s = [SBOX[b] for b in s]
        s = [s[(i + 4 * (i % 4)) % 16] for i in range(16)]  # ShiftRows: row i%4 rotates left by i%4
        if r != len(round_keys) - 1:
            mixed = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                mixed += [_gf256_mul(a[i], 2) ^ _gf256_mul(a[(i + 1) % 4], 3) ^ a[(i + 2) % 4] ^ a[(i + 3) % 4] for i in range(4)]
            s = mixed
        s = [a ^ b for a, b in zip(s, round_keys[r])]
    return bytes(s)


POLYVAL_P = (1 << 128) | (1 << 127) | (1 << 126) | (1 << 121) | 1


def polyval(h, data):
    """RFC 8452 §3: POLYVAL(H, X_1, ..., X_n) over 16-byte blocks; dot(a, b) = a * b * x^-128."""
    hv, acc = int.from_bytes(h, 'little'), 0
    for i in range(0, len(data), 16):
        a = acc ^ int.from_bytes(data[i:i + 16], 'little')
        prod = 0
        for bit in range(128):
            if (hv >> bit) & 1:
                prod ^= a << bit
        for _ in range(128):
            if prod & 1:
                prod ^= POLYVAL_P
            prod >>= 1
        acc = prod
    return acc.to_bytes(16, 'little')


def aes_gcm_siv(key, nonce, aad, data, decrypt):
    """RFC 8452 AEAD_AES_128_GCM_SIV / AEAD_AES_256_GCM_SIV."""
    if len(key) not in (16, 32) or len(nonce) != 12:
        raise AuthError('key or nonce length')
    kgk = aes_round_keys(key)
    derived = b''.join(aes_encrypt_block(kgk, struct.pack('<I', i) + nonce)[:8] for i in range(2 + len(key) // 8))
    auth_key, enc_keys = derived[:16], aes_round_keys(derived[16:])

    def tag_of(plaintext):
        lengths = struct.pack('<QQ', 8 * len(aad), 8 * len(plaintext))
        sv = bytearray(polyval(auth_key, aad + pad16(aad) + plaintext + pad16(plaintext) + lengths))
        for i in range(12):
            sv[i] ^= nonce[i]
        sv[15] &= 0x7f
        return aes_encrypt_block(enc_keys, bytes(sv))

    def ctr(tag, text):
        counter = int.from_bytes(tag[:4], 'little')
        rest = bytes([*tag[4:15], tag[15] | 0x80])
        stream = b''.join(aes_encrypt_block(enc_keys, struct.pack('<I', (counter + i) & 0xFFFFFFFF) + rest)
                          for i in range(-(-len(text) // 16)))
        return bytes(a ^ b for a, b in zip(text, stream))

    if not decrypt:
        tag = tag_of(data)
        return ctr(tag, data) + tag
    if len(data) < 16:
        raise AuthError('shorter than a tag')
    tag = data[-16:]
    plaintext = ctr(tag, data[:-16])
    if not hmac.compare_digest(tag_of(plaintext), tag):
        raise AuthError('tag')
    return plaintext


# ---------------------------------------------------------------------------------------------
# §7 sealed records

RECORD_MAGIC = bytes.fromhex('544c5352')
AEADS = {1: ('xchacha20-poly1305', 24, xchacha20_poly1305), 2: ('aes-256-gcm-siv', 12, aes_gcm_siv)}
AEAD_IDS = {name: alg for alg, (name, _, _) in AEADS.items()}


def storage_key_values(key, alg):
    """§7.1: (key_id, commitment, aead_key) of a storage key for algorithm `alg`."""
    return (hkdf_sha256(key, b'', b'templock/v1/record/key-id', 8),
            hkdf_sha256(key, b'', b'templock/v1/record/commit', 32),
            hkdf_sha256(key, b'', b'templock/v1/record/aead' + bytes([alg]), 32))


def encode_context(context):
    """§7.3: ctx bytes of a {tenant, subjectId, purpose} object."""
    if not isinstance(context, dict):
        raise SpecError('TypeError', 'context is not an object')
    out = b'templock/v1/record'
    for field in ('tenant', 'subjectId', 'purpose'):
        value = context.get(field)
        if not isinstance(value, str):
            raise SpecError('TypeError', f'context.{field} is not a string')
        try:
            raw = value.encode('utf-8')
        except UnicodeEncodeError:
            raise range_error(f'context.{field} is not well-formed UTF-16') from None
        if not 1 <= len(raw) <= 255:
            raise range_error(f'context.{field} length')
        out += bytes([len(raw)]) + raw
    return out


def salt_id(salt):
    return hashlib.sha256(b'templock/v1/salt-id' + salt).digest()[:16]


VERSION_MAX = 2 ** 53 - 1


def seal_record(key, alg, template, ctx, nonce, version=0):
    """§7.4 sealing with a given nonce: format v1 when version is 0, else v2 of that record version."""
    kid, commitment, aead_key = storage_key_values(key, alg)
    salt = template[30:30 + template[13]]
    header = (RECORD_MAGIC + bytes([2 if version else 1, alg]) + kid + commitment + template[5:13] + template[14:30]
              + salt_id(salt) + struct.pack('<H', len(template)) + (struct.pack('<Q', version) if version else b'') + nonce)
    return header + AEADS[alg][2](aead_key, nonce, ctx + header, template, False)


def record_version(record):
    """The record version of a record that passed framing: V of v2, 0 for v1."""
    return struct.unpack('<Q', record[88:96])[0] if record[4] == 2 else 0


def open_record(key, alg, record, ctx, formats=(1, 2), expected=None, disabled=False):
    """§7.4 opening, checks 1-15 in order, with a keyring holding one enabled key. `formats` are
    the format versions this opener knows (a v1-only opener: (1,)); `expected` the record
    version the opener expects, or None."""
    malformed = lambda why: SpecError('MALFORMED', why)
    if len(record) < 5 or record[:4] != RECORD_MAGIC:
        raise malformed('magic')
    if record[4] not in formats:
        raise SpecError('UNSUPPORTED_VERSION', 'record version')
    f = 88 if record[4] == 1 else 96
    if len(record) < f:
        raise malformed('truncated header')
    if record[5] not in AEADS:
        raise malformed('algorithm')
    sid, d, a, b, c = struct.unpack('<BHHHB', record[46:54])
    if sid == 4:  # a key-binding template: §5's rules for scheme id 4, P = ceil(n r / 8) + 32
        if not 32 <= d <= 4096:
            raise malformed('dim')
        try:
            bp = check_binding_params({'scheme': 'fuzzy-commitment', 'dim': d, 'm': c, 't': a, 'r': b})
        except SpecError:
            raise malformed('parameters') from None
        pl = ((2 ** bp[4] - 1) * bp[3] + 7) // 8 + 32
    else:
        pl = payload_bytes(block_params(sid, d, a, b, c))
    length = struct.unpack('<H', record[86:88])[0]
    if not 30 + 16 + pl <= length <= 30 + 32 + pl:
        raise malformed('template length')
    if record[4] == 2 and not 1 <= record_version(record) <= VERSION_MAX:
        raise malformed('record version out of range')
    n = AEADS[record[5]][1]
    if len(record) != f + n + length + 16:
        raise malformed('record length')
    if expected is not None and record_version(record) != expected:
        raise SpecError('ROLLBACK', 'not the expected record version')
    kid, commitment, aead_key = storage_key_values(key, alg)
    if record[6:14] != kid:
        raise SpecError('UNKNOWN_KEY_ID', 'key id')
    if disabled:
        raise SpecError('KEY_DISABLED', 'key disabled')
    if record[5] != alg or not hmac.compare_digest(record[14:46], commitment):
        raise SpecError('DECRYPT_FAILED', 'decryption failed')
    header = record[:f + n]
    try:
        template = AEADS[alg][2](aead_key, record[f:f + n], ctx + header, record[f + n:], True)
    except AuthError:
        raise SpecError('DECRYPT_FAILED', 'decryption failed') from None
    if template[5:13] != record[46:54] or template[14:30] != record[54:70] or salt_id(template[30:30 + template[13]]) != record[70:86]:
        raise malformed('header does not describe the sealed template')
    (decode_bound if sid == 4 else decode)(template)
    return template


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


def run_fuzzy(group, test):
    key, mean_raw = unhex(test['key'], 'key'), group_mean(group)
    probe = f32_hex(test['probe'], 'probe')
    outcome = lambda res: {'accepted': res[0], 'releasedKey': res[1].hex() if res[0] else None}
    if group['type'] == 'ReleaseTest':
        return outcome(release_key(probe, unhex(test['template'], 'template'), key, mean_raw))
    template, released = bind_key(f32_hex(test['embedding'], 'embedding'), group['params'], key,
                                  unhex(test['salt'], 'salt'), unhex(test['secret'], 'secret'), mean_raw)
    return {'template': template.hex(), 'key': released.hex(), 'release': outcome(release_key(probe, template, key, mean_raw))}


def run_record(group, test, v2=False):
    """record_v1 (a v1-only opener) or, with v2, record_v2 (formats 1 and 2, expected version)."""
    key = unhex(group['key'], 'key')
    if len(key) != 32:
        raise range_error('storage key is not 32 bytes')
    if group.get('aead') not in AEAD_IDS:
        raise range_error('unknown AEAD')
    alg = AEAD_IDS[group['aead']]
    ctx = encode_context(test['context'])
    expected = test['context'].get('version') if v2 else None
    if expected is not None and not (isinstance(expected, int) and 0 <= expected <= VERSION_MAX):
        raise range_error('context.version')
    record = unhex(test['record'], 'record')
    if 'nonce' in test:
        template = unhex(test['template'], 'template')
        (decode_bound if template[5:6] == b'\x04' else decode)(template)
        again = seal_record(key, alg, template, ctx, unhex(test['nonce'], 'nonce'), test['version'] if v2 else 0)
        if again != record:
            return {'sealedAgain': again.hex()}
    if group.get('keyStatus', 'enabled') not in ('enabled', 'disabled'):
        raise range_error('keyStatus')
    template = open_record(key, alg, record, ctx, (1, 2) if v2 else (1,), expected, group.get('keyStatus') == 'disabled')
    out = {'keyId': record[6:14].hex(), 'saltId': record[70:86].hex()}
    if v2:
        out.update(format=record[4], recordVersion=record_version(record))
    out['template'] = template.hex()
    return out


# §7.6 store manifest

def lp(text):
    raw = text.encode('utf-8')
    if not 1 <= len(raw) <= 255:
        raise range_error('manifest string length')
    return bytes([len(raw)]) + raw


def manifest_entry(tenant, e):
    """§7.6 entry encoding of a record entry or a revocation entry."""
    if e.get('kind') == 'record':
        return (b'templock/v1/manifest/record' + lp(tenant) + lp(e['subjectId']) + lp(e['purpose'])
                + struct.pack('<Q', e['version']) + bytes([1 if e['live'] else 0]))
    if e.get('kind') in ('subject', 'salt'):
        return b'templock/v1/manifest/revoked' + lp(tenant) + lp(e['kind']) + lp(e['value']) + struct.pack('<Q', e['revokedAt'])
    raise SpecError('TypeError', 'entry kind')


def run_manifest(group, test):
    key = unhex(group['storageKey'], 'storageKey')
    tenant = group['tenant']
    mk = hkdf_sha256(key, b'', b'templock/v1/manifest/mac', 32)
    mac = lambda msg: hmac.new(mk, msg, hashlib.sha256).digest()
    kid = storage_key_values(key, 1)[0]
    hashes = [mac(manifest_entry(tenant, e)) for e in test['entries']]
    digest = sum(int.from_bytes(h, 'little') for h in hashes) % 2 ** 256
    mask = lambda g: int.from_bytes(mac(b'templock/v1/manifest/mask' + struct.pack('<Q', g)), 'little')
    head_mac = lambda g, c, d: mac(b'templock/v1/manifest/head' + lp(tenant) + kid + struct.pack('<QQ', g, c) + d.to_bytes(32, 'little'))
    if 'head' in test:
        h = test['head']
        stored = int.from_bytes(unhex(h['storedDigest']), 'little') ^ mask(h['generation'])
        if not hmac.compare_digest(head_mac(h['generation'], h['count'], stored), unhex(h['mac'])):
            raise SpecError('INTEGRITY', 'head MAC')
        if h['count'] != len(hashes) or stored != digest:
            raise SpecError('INTEGRITY', 'entries do not sum to the head')
    g = test['generation']
    return {'manifestKey': mk.hex(), 'keyId': kid.hex(), 'entryHashes': [h.hex() for h in hashes],
            'digest': digest.to_bytes(32, 'little').hex(), 'mask': mask(g).to_bytes(32, 'little').hex(),
            'storedDigest': (digest ^ mask(g)).to_bytes(32, 'little').hex(), 'headMac': head_mac(g, len(hashes), digest).hex()}


def lp_bytes(raw):
    if len(raw) > 255:
        raise range_error('feed field length')
    return bytes([len(raw)]) + raw


def run_feed(group, test):
    """SPEC.md §7.8: the MAC of one change under the manifest key of a storage key."""
    mk = hkdf_sha256(unhex(group['storageKey'], 'storageKey'), b'', b'templock/v1/manifest/mac', 32)
    c = test['change']
    if c['kind'] not in ('put', 'delete', 'revoke-subject', 'reinstate-subject', 'revoke-salt'):
        raise range_error('change kind')
    text = lambda name: c.get(name, '').encode('utf-8')
    record = hashlib.sha256(unhex(c['record'], 'record')).digest() if 'record' in c else bytes(32)
    message = b'templock/v1/feed/change' + b''.join(lp_bytes(f) for f in (
        group['tenant'].encode('utf-8'), struct.pack('<Q', c['seq']), c['kind'].encode('utf-8'),
        text('subjectId'), text('purpose'), text('saltId'), record))
    mac = hmac.new(mk, message, hashlib.sha256).digest()
    if 'mac' in test and not hmac.compare_digest(mac, unhex(test['mac'], 'mac')):
        raise SpecError('INTEGRITY', 'change MAC')
    return {'manifestKey': mk.hex(), 'message': message.hex(), 'mac': mac.hex()}


def run_credential(group, test):
    """SPEC.md §4.5.5: a credential sealed under a released key: nonce || XChaCha20-Poly1305 under
    HKDF-SHA256(key, empty salt, "templock/v1/credential"), the label as associated data."""
    key = unhex(test['key'], 'key')
    if len(key) != 32:
        raise range_error('released key is not 32 bytes')
    label = test['label'].encode('utf-8')
    if not 1 <= len(label) <= 255:
        raise range_error('label length')
    sealed = unhex(test['sealed'], 'sealed')
    if not 24 + 16 + 1 <= len(sealed) <= 24 + 16 + 65536:
        raise range_error('sealed length')
    k = hkdf_sha256(key, b'', b'templock/v1/credential', 32)
    if 'nonce' in test:
        nonce = unhex(test['nonce'], 'nonce')
        again = nonce + xchacha20_poly1305(k, nonce, label, unhex(test['credential'], 'credential'), False)
        if again != sealed:
            return {'sealedAgain': again.hex()}
    try:
        credential = xchacha20_poly1305(k, sealed[:24], label, sealed[24:], True)
    except AuthError:
        raise SpecError('DECRYPT_FAILED', 'credential') from None
    return {'credential': credential.hex()}


def open_blob(x, domain, blob, prefix):
    """§8.3: a sealed blob under the 32-byte key x in `domain`, or DECRYPT_FAILED."""
    commitment = hkdf_sha256(x, b'', b'templock/v1/' + domain + b'/commit', 32)
    aead_key = hkdf_sha256(x, b'', b'templock/v1/' + domain + b'/aead' + b'\x01', 32)
    if len(blob) < 72 or not hmac.compare_digest(blob[:32], commitment):
        raise SpecError('DECRYPT_FAILED', 'blob')
    try:
        return xchacha20_poly1305(aead_key, blob[32:56], prefix + blob[:56], blob[56:], True)
    except AuthError:
        raise SpecError('DECRYPT_FAILED', 'blob') from None


def run_keyring(group, test):
    """§8: a keyring export under the in-process key wrapper -> its keys and primary, checked in
    the order of §8.4 (header, Argon2id bounds, body key, blob, body)."""
    data = unhex(test['export'], 'export')
    kek = unhex(test['kek'], 'kek')
    malformed = lambda why: SpecError('MALFORMED', why)
    if len(data) < 6 or data[:4] != b'TLKR':
        raise malformed('magic')
    if data[4] != 1:
        raise SpecError('UNSUPPORTED_VERSION', 'version')
    if data[5] == 1:
        if len(data) < 16:
            raise malformed('truncated header')
        m, t = struct.unpack('<II', data[6:14])
        if not (19456 <= m <= 262144 and 2 <= t <= 16 and 1 <= data[14] <= 8):
            raise malformed('argon2id bounds')
        if not 16 <= data[15] <= 64:
            raise malformed('salt length')
        raise range_error('passphrase exports are given only with headers refused before any work')
    if data[5] != 2:
        raise malformed('protection')
    if len(data) < 7 or data[6] < 1 or len(data) < 9 + data[6]:
        raise malformed('header')
    label_end = 7 + data[6]
    try:
        data[7:label_end].decode('utf-8')
    except UnicodeDecodeError:
        raise malformed('label') from None
    wlen = struct.unpack('<H', data[label_end:label_end + 2])[0]
    if not 1 <= wlen <= 4096 or len(data) < label_end + 2 + wlen:
        raise malformed('wrapped key length')
    header = data[:label_end + 2 + wlen]
    dek = open_blob(kek, b'wrap', data[label_end + 2:label_end + 2 + wlen], data[:label_end])
    if len(dek) != 32:
        raise SpecError('DECRYPT_FAILED', 'data key')
    body = open_blob(dek, b'keyring', data[len(header):], header)
    if len(body) < 4:
        raise malformed('body')
    count, primary = struct.unpack('<HH', body[:4])
    if not 1 <= count <= 1024 or primary >= count:
        raise malformed('count or primary')
    keys, ids, o = [], set(), 4
    for _ in range(count):
        if o + 18 > len(body):
            raise malformed('truncated key')
        kid, alg, status = body[o:o + 8], body[o + 8], body[o + 9]
        created = struct.unpack('<Q', body[o + 10:o + 18])[0]
        if alg not in (1, 2) or status not in (1, 2, 3) or created > 2 ** 53 - 1 or kid in ids:
            raise malformed('key fields')
        ids.add(kid)
        o += 18
        if status != 3:
            if o + 32 > len(body):
                raise malformed('truncated key')
            if storage_key_values(body[o:o + 32], alg)[0] != kid:
                raise malformed('key id')
            o += 32
        keys.append({'id': kid.hex(), 'algorithm': AEADS[alg][0], 'status': ('enabled', 'disabled', 'destroyed')[status - 1], 'createdAt': created})
    if o != len(body):
        raise malformed('trailing bytes')
    if keys[primary]['status'] != 'enabled':
        raise malformed('primary not enabled')
    return {'primary': keys[primary]['id'], 'keys': keys}


def run_template_encode(group, test):
    """§5 Encoding: fields -> template bytes; parameters as for protect, salt 16..32, ids of 8
    bytes, a payload of exactly P bytes with values in range, else RangeError."""
    p = check_params(test['params'])
    salt, kid, mid = unhex(test['salt'], 'salt'), unhex(test['keyId'], 'keyId'), unhex(test['meanId'], 'meanId')
    payload = unhex(test['payload'], 'payload')
    if not 16 <= len(salt) <= 32 or len(kid) != 8 or len(mid) != 8 or len(payload) != payload_bytes(p):
        raise range_error('field length')
    if p[0] != 'sign' and payload and max(payload) >= p[3]:
        raise range_error('payload value out of range')
    return encode(p, salt, kid, mid, payload).hex()


RUNNERS = {
    'canonical_v1.schema.json': ('canonical', run_canonical),
    'samplers_v1.schema.json': ('values', run_samplers),
    'derivation_v1.schema.json': ('derived', run_derivation),
    'protect_v1.schema.json': ('template', run_protect),
    'compare_v1.schema.json': ('score', run_compare),
    'template_v1.schema.json': ('decoded', run_template),
    'record_v1.schema.json': ('opened', run_record),
    'record_v2.schema.json': ('opened', lambda group, test: run_record(group, test, v2=True)),
    'manifest_v1.schema.json': ('manifest', run_manifest),
    'fuzzy_commitment_v1.schema.json': ('outcome', run_fuzzy),
    'feed_v1.schema.json': ('authenticated', run_feed),
    'credential_v1.schema.json': ('opened', run_credential),
    'keyring_v1.schema.json': ('keyring', run_keyring),
    'template_encode_v1.schema.json': ('template', run_template_encode),
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


WYCHEPROOF_AEADS = {
    'chacha20_poly1305_test.json': chacha20_poly1305,
    'xchacha20_poly1305_test.json': xchacha20_poly1305,
    'aes_gcm_siv_test.json': aes_gcm_siv,
}


def check_wycheproof(wycheproof_dir):
    """(passed, failure lines) of the AEAD code here against Project Wycheproof files: a valid
    test encrypts to ct || tag and decrypts back; an invalid one fails to decrypt."""
    passed, failures = 0, []
    for name, aead in WYCHEPROOF_AEADS.items():
        with open(os.path.join(wycheproof_dir, name), encoding='utf-8') as f:
            doc = json.load(f)
        for group in doc['testGroups']:
            for t in group['tests']:
                key, iv, aad, msg, sealed = (bytes.fromhex(t[k]) for k in ('key', 'iv', 'aad', 'msg', 'ct'))
                sealed += bytes.fromhex(t['tag'])
                try:
                    ok = aead(key, iv, aad, sealed, True) == msg and aead(key, iv, aad, msg, False) == sealed
                except AuthError:
                    ok = False
                if ok == (t['result'] != 'invalid'):
                    passed += 1
                else:
                    failures.append(f'Wycheproof {name} tcId {t["tcId"]} ({t["result"]}): {t["comment"]}')
    return passed, failures


def main(argv):
    args = list(argv)
    rfc_dir = None
    if '--rfc' in args:
        i = args.index('--rfc')
        rfc_dir = args[i + 1]
        del args[i:i + 2]
    wycheproof_dir = None
    if '--wycheproof' in args:
        i = args.index('--wycheproof')
        wycheproof_dir = args[i + 1]
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
    if wycheproof_dir is not None:
        p, f = check_wycheproof(wycheproof_dir)
        print(f'Wycheproof AEAD files: {p} passed, {len(f)} failed')
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
