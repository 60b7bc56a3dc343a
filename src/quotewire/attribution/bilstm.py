"""A bidirectional LSTM layer for thinc in plain numpy, forward and backward written out.

thinc 8.3's own ``LSTM`` on NumpyOps returns a wrong input gradient (the first step of each
direction gets none of its share; measured by finite differences), so anything below it, and
a second LSTM layer above it, does not learn. This one is checked against finite differences
in the tests. Input and output are lists of (tokens, width) arrays, one a sequence.
"""
from __future__ import annotations

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
