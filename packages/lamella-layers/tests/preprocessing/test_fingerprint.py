"""FarmHash Fingerprint64 and SipHash-2-4 against published values: the hashes
TensorFlow's string-to-bucket ops (and so Keras's Hashing) compute."""

import ctypes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lamella.layers.preprocessing.fingerprint import fingerprint64, siphash64

# Fingerprint64 values from the FarmHash test tables of independent ports (one per
# length class of the algorithm: 0, 1-3, 4-7, 8-16, 17-32, 33-64, > 64 bytes).
FARMHASH_VECTORS = {
    "": 0x9AE16A3B2F90404F,
    "a": 0xB3454265B6DF75E3,
    "abc": 0x24A5B3A074E7F369,
    "abcde": 0xC22F4663E54E04D4,
    "abcdefgh": 0xFEE9D22990C82909,
    "0123456789'01234": 0x4283D4EF43627F64,
    "0123456789=012345": 0x46A7416ED4861E3B,
    "0123456789%0123456789£": 0x4DBD128AF51D77E8,
    "C is as portable as Stonehedge!!": 0xB944F8A16261E414,
    "Discard medicine more than two years old.": 0xE8F89AB6DF9BDD25,
    "For every action there is an equal and opposite government program.": 0x55182F8859ECA4CE,
    "There is no reason for any individual to have a computer in their home. -Ken Olsen, 1977":
        0x7E85D7B050ED2967,
    "The fugacity of a constituent in a mixture of gases at a given temperature is proportional "
    "to its mole fraction.  Lewis-Randall Rule": 0x098EFF6958C5E91A,
}

# BigQuery's FARM_FINGERPRINT (documented, signed INT64) is the same function.
BIGQUERY_VECTORS = {
    "1footrue": -1541654101129638711,
    "2applefalse": 2794438866806483259,
    "3true": -4880158226897771312,
}


@pytest.mark.parametrize("text", sorted(FARMHASH_VECTORS, key=len))
def test_fingerprint64_matches_farmhash(text):
    assert fingerprint64(text.encode("utf-8")) == FARMHASH_VECTORS[text]


@pytest.mark.parametrize("text", sorted(BIGQUERY_VECTORS))
def test_fingerprint64_matches_bigquery_farm_fingerprint(text):
    assert ctypes.c_int64(fingerprint64(text.encode())).value == BIGQUERY_VECTORS[text]


def test_siphash_matches_the_reference_vectors():
    # The SipHash paper's key 00 01 .. 0f, as two little-endian words.
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert siphash64(key, b"") == 0x726FDB47DD0E0E31
    assert siphash64(key, bytes(range(15))) == 0xA129CA6149BE45E5


@given(st.binary(max_size=300))
def test_both_hashes_are_64_bit_and_deterministic(data):
    for value in (fingerprint64(data), siphash64((1, 2), data)):
        assert 0 <= value < 2**64
    assert fingerprint64(data) == fingerprint64(bytearray(data))
    assert siphash64((1, 2), data) != siphash64((2, 1), data)
