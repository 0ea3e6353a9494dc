"""The string hashes Keras's ``Hashing`` layer relies on, in plain Python.

Keras hashes through TensorFlow: without a salt ``tf.strings.to_hash_bucket_fast``,
which is FarmHash's ``Fingerprint64`` (the ``farmhashna`` 64-bit hash, frozen by
its authors so fingerprints never change), and with a salt
``tf.strings.to_hash_bucket_strong``, which is SipHash-2-4 keyed by the two salt
integers. Both are specified down to the bit, so lamella computes the same values
on the host, without TensorFlow, and a ``Hashing`` layer puts every value in the
bin Keras puts it in.

Python integers are unbounded: every product and sum is reduced modulo 2**64
(``& _MASK``) where the C code relies on ``uint64_t`` wrapping.
"""

import struct

_MASK = (1 << 64) - 1

# FarmHash's multipliers (odd 64-bit constants from CityHash).
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _word(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def _half_word(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def _rotate(value, shift):
    # A right rotation; FarmHash never rotates by 0 or 64.
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _mix_pair(u, v, mul):
    """FarmHash's ``HashLen16``: two words into one, Murmur-style."""
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _up_to_16(data):
    n = len(data)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_word(data, 0) + _K2) & _MASK
        b = _word(data, n - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _mix_pair(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _half_word(data, 0)
        return _mix_pair(n + (a << 3), _half_word(data, n - 4), mul)
    if n > 0:
        y = data[0] + (data[n >> 1] << 8)
        z = n + (data[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _up_to_32(data):
    n = len(data)
    mul = _K2 + n * 2
    a = (_word(data, 0) * _K1) & _MASK
    b = _word(data, 8)
    c = (_word(data, n - 8) * mul) & _MASK
    d = (_word(data, n - 16) * _K2) & _MASK
    return _mix_pair(
        (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
        (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK,
        mul,
    )


def _up_to_64(data):
    n = len(data)
    mul = _K2 + n * 2
    a = (_word(data, 0) * _K2) & _MASK
    b = _word(data, 8)
    c = (_word(data, n - 8) * mul) & _MASK
    d = (_word(data, n - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _mix_pair(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_word(data, 16) * mul) & _MASK
    f = _word(data, 24)
    g = ((y + _word(data, n - 32)) * mul) & _MASK
    h = ((z + _word(data, n - 24)) * mul) & _MASK
    return _mix_pair(
        (_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
        (e + _rotate((f + a) & _MASK, 18) + g) & _MASK,
        mul,
    )


def _weak_pair(data, offset, a, b):
    """FarmHash's ``WeakHashLen32WithSeeds`` over 32 bytes from ``offset``."""
    w, x, y, z = struct.unpack_from("<4Q", data, offset)
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data):
    """FarmHash ``Fingerprint64`` of ``data`` (bytes), as an unsigned integer.

    Example:

    >>> hex(fingerprint64(b"abc"))
    '0x24a5b3a074e7f369'
    """
    data = bytes(data)
    n = len(data)
    if n <= 16:
        return _up_to_16(data)
    if n <= 32:
        return _up_to_32(data)
    if n <= 64:
        return _up_to_64(data)
    # Longer inputs: 64-byte blocks through a 56-byte state, then the last 64
    # bytes (which may overlap the last block) mixed in with another multiplier.
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v = (0, 0)
    w = (0, 0)
    x = (x * _K2 + _word(data, 0)) & _MASK
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    offset = 0
    while offset != end:
        x = (_rotate((x + y + v[0] + _word(data, offset + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _word(data, offset + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _word(data, offset + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_pair(data, offset, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_pair(data, offset + 32, (z + w[1]) & _MASK, (y + _word(data, offset + 16)) & _MASK)
        z, x = x, z
        offset += 64
    mul = _K1 + ((z & 0xFF) << 1)
    offset = last64
    w0 = (w[0] + ((n - 1) & 63)) & _MASK
    v0 = (v[0] + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    v, w = (v0, v[1]), (w0, w[1])
    x = (_rotate((x + y + v[0] + _word(data, offset + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _word(data, offset + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _word(data, offset + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_pair(data, offset, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_pair(data, offset + 32, (z + w[1]) & _MASK, (y + _word(data, offset + 16)) & _MASK)
    z, x = x, z
    return _mix_pair(
        (_mix_pair(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
        (_mix_pair(v[1], w[1], mul) + x) & _MASK,
        mul,
    )


def _rotl(value, shift):
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def _sip_rounds(v0, v1, v2, v3, count):
    for _ in range(count):
        v0 = (v0 + v1) & _MASK
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & _MASK
        v3 = _rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & _MASK
        v3 = _rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & _MASK
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash64(key, data):
    """SipHash-2-4 of ``data`` (bytes) keyed by ``key``, two unsigned 64-bit
    integers (TensorFlow's ``to_hash_bucket_strong`` key); an unsigned integer.

    Example:

    >>> hex(siphash64((0x0706050403020100, 0x0F0E0D0C0B0A0908), b""))
    '0x726fdb47dd0e0e31'
    """
    k0, k1 = (int(k) & _MASK for k in key)
    data = bytes(data)
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    full = len(data) - len(data) % 8
    for offset in range(0, full, 8):
        m = _word(data, offset)
        v3 ^= m
        v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    # The last word: the remaining bytes, and the length's low byte on top.
    last = int.from_bytes(data[full:], "little") | ((len(data) & 0xFF) << 56)
    v3 ^= last
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def salt_pair(salt, owner):
    """``salt`` as the pair of keys SipHash takes: one integer ``s`` is ``[s, s]``
    (Keras's rule); ``None`` stays ``None``. ``owner`` names the layer in errors."""
    if salt is None:
        return None

    def ok(value):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**64

    if isinstance(salt, list | tuple) and len(salt) == 2 and all(ok(v) for v in salt):
        return [int(v) for v in salt]
    if ok(salt):
        return [salt, salt]
    raise ValueError(
        f"{owner} expected salt to be a non-negative integer or a pair of them. "
        f"Received: salt={salt!r}"
    )
