"""A bidirectional LSTM layer for thinc in plain numpy, forward and backward written out.

thinc 8.3's own ``LSTM`` on NumpyOps returns a wrong input gradient (the first step of each
direction gets none of its share; measured by finite differences), so anything below it, and
a second LSTM layer above it, does not learn. This one is checked against finite differences
in the tests. Input and output are lists of (tokens, width) arrays, one a sequence.
Prediction takes its own path (``_predict``): no padding, both directions a step at once,
numpy's products on one OpenBLAS thread; the tests hold it to the training forward.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable

import numpy
from thinc.api import Model, NumpyOps


def BiLSTM(nO: int, nI: int) -> Model:
    """One bidirectional layer: nO/2 hidden units a direction, outputs concatenated."""
    return Model("qw_bilstm", _forward, init=_init, dims={"nO": nO, "nI": nI},
                 params={"Wx": None, "Wh": None, "b": None})


def _init(model: Model, X=None, Y=None) -> None:
    nI, nO = model.get_dim("nI"), model.get_dim("nO")
    H = nO // 2
    rng = numpy.random.default_rng(int(model.id))
    limit_x = numpy.sqrt(6.0 / (nI + 4 * H))
    limit_h = numpy.sqrt(6.0 / (H + 4 * H))
    model.set_param("Wx", rng.uniform(-limit_x, limit_x, (2, nI, 4 * H)).astype("f"))
    model.set_param("Wh", rng.uniform(-limit_h, limit_h, (2, H, 4 * H)).astype("f"))
    b = numpy.zeros((2, 4 * H), dtype="f")
    b[:, H:2 * H] = 1.0  # forget gate open at the start
    model.set_param("b", b)


_OPS = NumpyOps()


def _mm(a: numpy.ndarray, b: numpy.ndarray, trans1: bool = False, trans2: bool = False) -> numpy.ndarray:
    """a @ b through thinc's blis gemm: single-threaded, where numpy's BLAS would start threads
    that only fight over these small products on a shared machine (12x slower measured)."""
    return _OPS.gemm(numpy.ascontiguousarray(a, dtype="f"), numpy.ascontiguousarray(b, dtype="f"), trans1=trans1, trans2=trans2)


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(x, -30, 30)))


def _pad(Xs: list[numpy.ndarray], width: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    lengths = numpy.asarray([len(x) for x in Xs], dtype=numpy.int64)
    T = int(lengths.max()) if len(lengths) else 0
    out = numpy.zeros((T, len(Xs), width), dtype="f")
    for b, x in enumerate(Xs):
        out[: len(x), b] = x
    return out, lengths


def _reverser(lengths: numpy.ndarray, T: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Indices that reverse each sequence within its own length (an involution), and the valid mask."""
    t = numpy.arange(T)[:, None]
    rev = lengths[None, :] - 1 - t
    valid = rev >= 0
    return numpy.where(valid, rev, t), valid


def _run(X: numpy.ndarray, Wx: numpy.ndarray, Wh: numpy.ndarray, b: numpy.ndarray, keep: bool):
    T, B, _ = X.shape
    H = Wh.shape[0]
    Z_in = (_mm(X.reshape(T * B, -1), Wx) + b).reshape(T, B, 4 * H)
    h = numpy.zeros((B, H), dtype="f")
    c = numpy.zeros((B, H), dtype="f")
    Hs = numpy.zeros((T, B, H), dtype="f")
    cache = [] if keep else None
    for t in range(T):
        z = Z_in[t] + _mm(h, Wh)
        i = _sigmoid(z[:, :H])
        f = _sigmoid(z[:, H:2 * H])
        o = _sigmoid(z[:, 2 * H:3 * H])
        g = numpy.tanh(z[:, 3 * H:])
        c_prev, h_prev = c, h
        c = f * c_prev + i * g
        tc = numpy.tanh(c)
        h = o * tc
        Hs[t] = h
        if keep:
            cache.append((i, f, o, g, c_prev, h_prev, tc))
    return Hs, cache


def _back(dH: numpy.ndarray, X: numpy.ndarray, Wx: numpy.ndarray, Wh: numpy.ndarray, cache):
    T, B, _ = dH.shape
    H = Wh.shape[0]
    dZ = numpy.zeros((T, B, 4 * H), dtype="f")
    dWh = numpy.zeros_like(Wh)
    dh_next = numpy.zeros((B, H), dtype="f")
    dc_next = numpy.zeros((B, H), dtype="f")
    for t in range(T - 1, -1, -1):
        i, f, o, g, c_prev, h_prev, tc = cache[t]
        dh = dH[t] + dh_next
        do = dh * tc
        dc = dc_next + dh * o * (1.0 - tc * tc)
        z = dZ[t]
        z[:, :H] = dc * g * i * (1.0 - i)
        z[:, H:2 * H] = dc * c_prev * f * (1.0 - f)
        z[:, 2 * H:3 * H] = do * o * (1.0 - o)
        z[:, 3 * H:] = dc * i * (1.0 - g * g)
        dc_next = dc * f
        dWh += _mm(h_prev, z, trans1=True)
        dh_next = _mm(z, Wh, trans2=True)
    flat = dZ.reshape(T * B, 4 * H)
    dWx = _mm(X.reshape(T * B, -1), flat, trans1=True)
    db = flat.sum(axis=0)
    dX = _mm(flat, Wx, trans2=True).reshape(T, B, -1)
    return dX, dWx, dWh, db


def _forward(model: Model, Xs: list[numpy.ndarray], is_train: bool) -> tuple[list[numpy.ndarray], Callable]:
    Wx, Wh, b = model.get_param("Wx"), model.get_param("Wh"), model.get_param("b")
    if not is_train:
        return _predict(Xs, Wx, Wh, b), _no_backprop
    nI = model.get_dim("nI")
    H = Wh.shape[1]
    X, lengths = _pad(Xs, nI)
    T, B = X.shape[:2]
    rev, valid = _reverser(lengths, T)
    cols = numpy.arange(B)[None, :]
    Xr = X[rev, cols] * valid[:, :, None]
    Hf, cache_f = _run(X, Wx[0], Wh[0], b[0], is_train)
    Hr, cache_r = _run(Xr, Wx[1], Wh[1], b[1], is_train)
    Hb = Hr[rev, cols] * valid[:, :, None]
    Ys = [numpy.concatenate([Hf[: n, k], Hb[: n, k]], axis=1) for k, n in enumerate(lengths)]

    def backprop(dYs: list[numpy.ndarray]) -> list[numpy.ndarray]:
        dY, _ = _pad(dYs, 2 * H)
        dHf = dY[:, :, :H]
        dHr = dY[:, :, H:][rev, cols] * valid[:, :, None]
        dXf, dWx0, dWh0, db0 = _back(numpy.ascontiguousarray(dHf), X, Wx[0], Wh[0], cache_f)
        dXr, dWx1, dWh1, db1 = _back(dHr, Xr, Wx[1], Wh[1], cache_r)
        model.inc_grad("Wx", numpy.stack([dWx0, dWx1]))
        model.inc_grad("Wh", numpy.stack([dWh0, dWh1]))
        model.inc_grad("b", numpy.stack([db0, db1]))
        dX = dXf + dXr[rev, cols] * valid[:, :, None]
        return [dX[: n, k] for k, n in enumerate(lengths)]

    return Ys, backprop


def _no_backprop(dYs):  # pragma: no cover - predict has no gradient
    raise ValueError("BiLSTM: no backprop after predict")


@functools.lru_cache(maxsize=1)
def _openblas() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """numpy's OpenBLAS thread-count calls (get, set), found among the libraries this process
    has loaded; None where there is no OpenBLAS (or no /proc): then blis does the products."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"), ("openblas", "")):
            get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
                return get, put
    return None


@contextmanager
def one_blas_thread():
    """numpy's matmul on one OpenBLAS thread while the block runs (its thread count restored
    after): these products are small, and OpenBLAS's threads only fight over them (5-10x
    slower measured on 2 shared cores), while single-threaded OpenBLAS is 3-4x faster than
    blis here. Yields the product to use: numpy's, or blis's where OpenBLAS is not found."""
    calls = _openblas()
    if calls is None:
        yield _blis_matmul
        return
    get, put = calls
    before = get()
    put(1)
    try:
        yield numpy.matmul
    finally:
        put(before)


def _blis_matmul(a: numpy.ndarray, b: numpy.ndarray, out: numpy.ndarray | None = None) -> numpy.ndarray:
    """numpy.matmul's (stacked) product through blis, where OpenBLAS's threads cannot be held to one."""
    got = _mm(a, b) if a.ndim == 2 else numpy.stack([_mm(x, y) for x, y in zip(a, b)])
    if out is None:
        return got
    out[...] = got
    return out


class MatmulOps(NumpyOps):
    """NumpyOps whose products are numpy's (OpenBLAS) on one thread (``one_blas_thread``, held
    for each product): 3-4x faster than blis's on this machine (measured: a (4000, 192) x
    (192, 512) product, 58 GFLOP/s against 18; spaCy's tok2vec (25000, 288) x (288, 288):
    0.049 CPU-s against 0.143), for the tagger's Maxout and Softmax layers at prediction and
    for spaCy's own layers (nlp.numpy_products)."""

    name = "qw_matmul"

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
        if _openblas() is None:  # no thread control: blis, as NumpyOps
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        with one_blas_thread():
            if out is None:
                return numpy.matmul(a, b)
            return numpy.matmul(a, b, out=out)


def _predict(Xs: list[numpy.ndarray], Wx: numpy.ndarray, Wh: numpy.ndarray, b: numpy.ndarray) -> list[numpy.ndarray]:
    """The forward pass without what backprop needs, on packed sequences: longest first, step
    t works on the rows of the sequences that have a token t and no padding, so a paragraph of
    400 tokens among ones of 40 costs its own steps only. Both directions step together (the
    reverse one reads each sequence reversed): one stacked product and one set of gate
    operations a step."""
    if not Xs:
        return []
    nI, H = Wx.shape[1], Wh.shape[1]
    lengths = numpy.asarray([len(x) for x in Xs], dtype=numpy.int64)
    order = numpy.argsort(-lengths, kind="stable")
    ranked = lengths[order]
    T, B = int(ranked[0]), len(Xs)
    active = (ranked[None, :] > numpy.arange(T)[:, None]).sum(axis=1)  # sequences with a token t
    offsets = numpy.concatenate([[0], numpy.cumsum(active)])
    N = int(offsets[-1])
    # row of (sequence rank r, step t) in the packed order: offsets[t] + r
    X = numpy.empty((2, N, nI), dtype="f")
    rows = []
    for r, k in enumerate(order.tolist()):
        idx = offsets[: lengths[k]] + r
        X[0, idx] = Xs[k]
        X[1, idx] = Xs[k][::-1]
        rows.append(idx)
    with one_blas_thread() as mm:
        Z = mm(X, Wx)
        Z += b[:, None, :]
        Hp = numpy.empty((2, N, H), dtype="f")
        c = numpy.zeros((2, B, H), dtype="f")
        tc = numpy.empty((2, B, H), dtype="f")
        rec = numpy.empty((2, B, 4 * H), dtype="f")
        h = None
        for t in range(T):
            a, o = int(active[t]), int(offsets[t])
            z = Z[:, o : o + a]
            if h is not None:
                mm(h[:, :a], Wh, out=rec[:, :a])
                z += rec[:, :a]
            gates = z[:, :, : 3 * H]
            # sigmoid(x) = (1 + tanh(x / 2)) / 2: one transcendental, nothing to overflow
            gates *= 0.5
            numpy.tanh(gates, out=gates)
            gates += 1.0
            gates *= 0.5
            g = numpy.tanh(z[:, :, 3 * H :])
            ca = c[:, :a]
            ca *= gates[:, :, H : 2 * H]
            g *= gates[:, :, :H]
            ca += g
            numpy.tanh(ca, out=tc[:, :a])
            h = Hp[:, o : o + a]
            numpy.multiply(gates[:, :, 2 * H : 3 * H], tc[:, :a], out=h)
    out: list[numpy.ndarray] = [None] * B  # type: ignore[list-item]
    for r, k in enumerate(order.tolist()):
        idx = rows[r]
        out[k] = numpy.concatenate([Hp[0, idx], Hp[1, idx[::-1]]], axis=1)
    return out
