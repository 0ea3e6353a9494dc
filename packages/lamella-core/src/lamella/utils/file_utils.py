"""``get_file``: download a file once, check its hash, keep it in a cache, extract it."""

import contextlib
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile


def _cache_root(cache_dir):
    if cache_dir is not None:
        return os.path.expanduser(os.fspath(cache_dir))
    from lamella.backend import config

    return config.lamella_home()


def _resolve_algorithm(algorithm, file_hash):
    if algorithm == "auto":
        return "sha256" if file_hash is not None and len(file_hash) == 64 else "md5"
    if algorithm not in ("sha256", "md5"):
        raise ValueError(f"hash_algorithm must be 'auto', 'sha256' or 'md5'. Received: {algorithm!r}")
    return algorithm


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file (``sha256`` or ``md5``; ``auto`` means sha256)."""
    algorithm = "sha256" if algorithm == "auto" else algorithm
    hasher = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's hash is ``file_hash`` (``auto``: sha256 for 64 hex digits)."""
    algorithm = _resolve_algorithm(algorithm, file_hash)
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash).lower()


def _safe_members(names, target):
    root = os.path.realpath(target)
    for name in names:
        path = os.path.realpath(os.path.join(root, name))
        if os.path.commonpath([root, path]) != root:
            raise ValueError(f"Refusing to extract {name!r}: it would land outside {target!r}.")


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (any compression) or zip archive into ``path``; members that
    would land outside it are refused. Returns whether the file was an archive."""
    formats = {"auto": ["tar", "zip"], "tar": ["tar"], "zip": ["zip"]}.get(archive_format)
    if formats is None:
        formats = list(archive_format) if isinstance(archive_format, list | tuple) else None
    if not formats:
        raise ValueError(
            f"archive_format must be 'auto', 'tar', 'zip' or a list of them. Received: {archive_format!r}"
        )
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                _safe_members(archive.getnames(), path)
                _extract_atomically(lambda to: archive.extractall(to, filter="data"), path)
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                _safe_members(archive.namelist(), path)
                _extract_atomically(archive.extractall, path)
            return True
    return False


def _extract_atomically(extract, path):
    # Into a sibling folder first, so a failed extraction leaves no half folder.
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".extract-", dir=parent)
    try:
        extract(staging)
        if os.path.exists(path):
            shutil.rmtree(path)
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _download(origin, target, file_hash, algorithm):
    folder = os.path.dirname(target)
    fd, partial = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part", dir=folder)
    try:
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(origin) as response:
                shutil.copyfileobj(response, out)
        except urllib.error.HTTPError as error:
            raise OSError(f"URL fetch failure on {origin}: {error.code} -- {error.reason}") from None
        except urllib.error.URLError as error:
            raise OSError(f"URL fetch failure on {origin}: {error.reason}") from None
        if file_hash is not None and not validate_file(partial, file_hash, algorithm):
            raise ValueError(
                f"Incomplete or corrupted file detected. The {algorithm} file hash of the "
                f"download from {origin} does not match the provided value of {file_hash}."
            )
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(partial)


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None, force_download=False):
    """Downloads a file from a URL unless it is already in the cache.

    The file goes to ``cache_dir/cache_subdir/fname`` (default cache dir:
    ``$LAMELLA_HOME``, else ``~/.lamella``). It is downloaded to a temporary file
    in that folder, its hash checked, then renamed into place: a failed or
    corrupted download leaves nothing in the cache. A cached file whose hash does
    not match ``file_hash`` is downloaded again.

    Args:
        fname: the file name in the cache (default: the last part of ``origin``'s path).
        origin: the URL.
        untar: Keras 2's ``extract=True, archive_format='tar'``.
        md5_hash: Keras 2's ``file_hash`` for an md5 digest.
        file_hash: the expected sha256 or md5 hex digest.
        cache_subdir: the folder under the cache dir (absolute: used as is).
        hash_algorithm: ``'auto'`` (sha256 for 64 hex digits, else md5), ``'sha256'``, ``'md5'``.
        extract: extract the archive (tar, tar.gz, tar.bz2, zip).
        archive_format: ``'auto'``, ``'tar'``, ``'zip'``, or a list.
        cache_dir: the cache's root folder.
        force_download: download even if the file is cached.

    Returns:
        The path of the file, or with ``extract``, of the folder it was extracted to
        (``fname`` without its extension plus ``_extracted`` when ``fname`` has one,
        as Keras 3 names it).

    Example:

    >>> path = get_file("mnist.npz", origin="https://example.com/mnist.npz",  # doctest: +SKIP
    ...                 file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    algorithm = _resolve_algorithm(hash_algorithm, file_hash)
    datadir = os.path.join(_cache_root(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given_name = fname is not None
    fname = os.fspath(fname) if given_name else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't parse the file name from the origin provided: {origin!r}. Specify fname.")
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            "fname is a file name, not a path: give the folder as cache_dir (and "
            f"cache_subdir). Received: fname={fname!r}"
        )
    extract = extract or untar
    if untar:
        archive_format = "tar"
    if extract:
        if given_name and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, fname[: fname.find(".")] + "_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, fname + "_archive")
    else:
        target = os.path.join(datadir, fname)
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, algorithm):
        warnings.warn(
            f"A local file was found at {target}, but its {algorithm} hash does not match "
            f"the expected {file_hash}: downloading it again.", stacklevel=2,
        )
        download = True
    if download:
        print(f"Downloading data from {origin}")
        _download(origin, target, file_hash, algorithm)
    if extract:
        if download or not os.path.isdir(extraction_dir):
            if not extract_archive(target, extraction_dir, archive_format):
                warnings.warn(f"Could not extract {target}: not a {archive_format} archive.", stacklevel=2)
        return extraction_dir
    return target
