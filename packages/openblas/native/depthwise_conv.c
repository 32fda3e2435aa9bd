/* Depthwise 2-D convolution of NHWC tensors with channel multiplier 1 (C input and C output
   channels, kernel [kh, kw, C, 1]) and its two gradients: the DepthwiseConv2dNative,
   DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter kernels of the
   OpenBLAS backend.

     forward          y[b, oy, ox, c]  = Σ_{ky, kx} x[b, oy·sh − pt + ky, ox·sw − pl + kx, c] · w[ky, kx, c]
     backprop input   dx[b, iy, ix, c] = Σ_{ky, kx} dy[b, (iy + pt − ky) / sh, (ix + pl − kx) / sw, c] · w[ky, kx, c]
                                         (over the taps where both quotients are whole and inside dy)
     backprop filter  dw[ky, kx, c]    = Σ_{b, oy, ox} x[b, oy·sh − pt + ky, ox·sw − pl + kx, c] · dy[b, oy, ox, c]

   with positions outside x counting as zeros. Every inner loop runs over the channel axis, which
   NHWC makes contiguous, so gcc vectorises it. The hot case, a 3 × 3 kernel, has its own loops:
   a pixel whose nine taps all lie inside the image (all but the border) sums its nine products
   in registers (forward, input gradient), and the filter gradient runs those pixels 8 channels
   at a time with the nine sums held in vector registers (channel counts that are multiples of
   8; measured 2.3x faster than updating nine rows of sums in memory per pixel). The filter
   gradient sums each image in float32 and the images in float64. */
#include "dale_openblas.h"

/* 8 floats in one 256-bit register (two 128-bit ones in the baseline build); unaligned loads and
   stores through memcpy (macros, not functions: no vector values cross a call). */
typedef float v8f __attribute__((vector_size(32)));
#define load8(p) __extension__({ v8f v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store8(p, v) __extension__({ v8f s_ = (v); memcpy((p), &s_, sizeof s_); })

/* A rectangle [y0, y1) × [x0, x1) of output pixels that the register-blocked loop takes; empty when y0 >= y1. */
typedef struct {
  int64_t y0, y1, x0, x1;
} rect;

static inline int in_rect(const rect *r, int64_t y, int64_t x) { return y >= r->y0 && y < r->y1 && x >= r->x0 && x < r->x1; }

/* The outputs o of one axis whose window [o·stride − pad, o·stride − pad + k) lies inside [0, in). */
static void full_windows(int64_t pad, int64_t stride, int64_t k, int64_t in, int64_t out, int64_t *o0, int64_t *o1) {
  int64_t lo = (pad + stride - 1) / stride;
  int64_t hi = in - k + pad < 0 ? 0 : (in - k + pad) / stride + 1;
  if (hi > out) hi = out;
  *o0 = lo;
  *o1 = hi > lo ? hi : lo;
}

/* The output pixels whose 3 × 3 window lies inside the image, when the register-blocked filter
   gradient applies (a 3 × 3 kernel and a multiple of 8 channels); else an empty rectangle. */
static rect blocked_outputs(const conv_geometry *g) {
  rect r = {0, 0, 0, 0};
  if (g->kh != 3 || g->kw != 3 || g->cin % 8 != 0) return r;
  full_windows(g->pt, g->sh, 3, g->h, g->oh, &r.y0, &r.y1);
  full_windows(g->pl, g->sw, 3, g->w, g->ow, &r.x0, &r.x1);
  return r;
}

/* part[tap·C + c] += Σ over the rectangle of image b's output pixels of x · dy, 8 channels at a
   time, the nine sums in registers. */
DALE_VECTOR_CLONES __attribute__((noinline)) static void dw_backprop_filter_blocked(const float *restrict x, const float *restrict dy, float *restrict part, const conv_geometry *g, int64_t b,
                                                                                    rect r) {
  const int64_t C = g->cin, H = g->h, W = g->w, row = W * C;
  for (int64_t c0 = 0; c0 < C; c0 += 8) {
    v8f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0}, a8 = {0};
    for (int64_t oy = r.y0; oy < r.y1; oy++) {
      const float *xrow = x + (b * H + oy * g->sh - g->pt) * row + c0;
      const float *drow = dy + (b * g->oh + oy) * g->ow * C + c0;
      for (int64_t ox = r.x0; ox < r.x1; ox++) {
        const float *p = xrow + (ox * g->sw - g->pl) * C;
        const v8f d = load8(drow + ox * C);
        a0 += load8(p) * d;
        a1 += load8(p + C) * d;
        a2 += load8(p + 2 * C) * d;
        a3 += load8(p + row) * d;
        a4 += load8(p + row + C) * d;
        a5 += load8(p + row + 2 * C) * d;
        a6 += load8(p + 2 * row) * d;
        a7 += load8(p + 2 * row + C) * d;
        a8 += load8(p + 2 * row + 2 * C) * d;
      }
    }
    const v8f a[9] = {a0, a1, a2, a3, a4, a5, a6, a7, a8};
    for (int t = 0; t < 9; t++) store8(part + t * C + c0, load8(part + t * C + c0) + a[t]);
  }
}

/* The taps [*k0, *k1) of a window axis of k taps whose first tap sits at input position `start`
   that fall inside [0, size); empty when *k1 <= *k0. */
static inline void valid_taps(int64_t start, int64_t k, int64_t size, int64_t *k0, int64_t *k1) {
  *k0 = start < 0 ? -start : 0;
  *k1 = start + k > size ? size - start : k;
}

DALE_VECTOR_CLONES __attribute__((noinline)) static void dw_forward(const float *restrict x, const float *restrict w, float *restrict y, const conv_geometry *g) {
  const int64_t C = g->cin, H = g->h, W = g->w, KW = g->kw, row = W * C;
  const int64_t taps3 = g->kh == 3 && KW == 3;
  const float *restrict w0 = w, *restrict w1 = w + C, *restrict w2 = w + 2 * C, *restrict w3 = w + 3 * C, *restrict w4 = w + 4 * C;
  const float *restrict w5 = w + 5 * C, *restrict w6 = w + 6 * C, *restrict w7 = w + 7 * C, *restrict w8 = w + 8 * C;
  for (int64_t b = 0; b < g->n; b++) {
    for (int64_t oy = 0; oy < g->oh; oy++) {
      const int64_t iy = oy * g->sh - g->pt;
      int64_t ky0, ky1;
      valid_taps(iy, g->kh, H, &ky0, &ky1);
      for (int64_t ox = 0; ox < g->ow; ox++) {
        const int64_t ix = ox * g->sw - g->pl;
        int64_t kx0, kx1;
        valid_taps(ix, KW, W, &kx0, &kx1);
        float *restrict yp = y + ((b * g->oh + oy) * g->ow + ox) * C;
        if (taps3 && ky0 == 0 && ky1 == 3 && kx0 == 0 && kx1 == 3) {
          const float *r0 = x + ((b * H + iy) * W + ix) * C, *r1 = r0 + row, *r2 = r1 + row;
          for (int64_t c = 0; c < C; c++) {
            float s = r0[c] * w0[c];
            s += r0[C + c] * w1[c];
            s += r0[2 * C + c] * w2[c];
            s += r1[c] * w3[c];
            s += r1[C + c] * w4[c];
            s += r1[2 * C + c] * w5[c];
            s += r2[c] * w6[c];
            s += r2[C + c] * w7[c];
            s += r2[2 * C + c] * w8[c];
            yp[c] = s;
          }
          continue;
        }
        for (int64_t c = 0; c < C; c++) yp[c] = 0.0f;
        for (int64_t ky = ky0; ky < ky1; ky++) {
          for (int64_t kx = kx0; kx < kx1; kx++) {
            const float *xp = x + ((b * H + iy + ky) * W + ix + kx) * C;
            const float *wp = w + (ky * KW + kx) * C;
            for (int64_t c = 0; c < C; c++) yp[c] += xp[c] * wp[c];
          }
        }
      }
    }
  }
}

/* The taps [*k0, *k1) of a window axis whose output position (pos + pad − k) / stride is whole and
   inside [0, out), in increasing k, for stride 1 (then every tap between is one); for other
   strides the caller also tests divisibility. */
static inline void source_taps(int64_t pos, int64_t pad, int64_t k, int64_t stride, int64_t out, int64_t *k0, int64_t *k1) {
  const int64_t top = pos + pad; /* (top − kk) / stride ∈ [0, out) ⇔ kk ∈ (top − out·stride, top] */
  int64_t lo = top - (out - 1) * stride;
  *k0 = lo < 0 ? 0 : lo;
  *k1 = top + 1 < k ? top + 1 : k;
}

DALE_VECTOR_CLONES __attribute__((noinline)) static void dw_backprop_input(const float *restrict dy, const float *restrict w, float *restrict dx, const conv_geometry *g) {
  const int64_t C = g->cin, OH = g->oh, OW = g->ow, KW = g->kw, sh = g->sh, sw = g->sw, row = OW * C;
  const int64_t taps3 = g->kh == 3 && KW == 3 && sh == 1 && sw == 1;
  const float *restrict w0 = w, *restrict w1 = w + C, *restrict w2 = w + 2 * C, *restrict w3 = w + 3 * C, *restrict w4 = w + 4 * C;
  const float *restrict w5 = w + 5 * C, *restrict w6 = w + 6 * C, *restrict w7 = w + 7 * C, *restrict w8 = w + 8 * C;
  for (int64_t b = 0; b < g->n; b++) {
    for (int64_t iy = 0; iy < g->h; iy++) {
      int64_t ky0, ky1;
      source_taps(iy, g->pt, g->kh, sh, OH, &ky0, &ky1);
      for (int64_t ix = 0; ix < g->w; ix++) {
        int64_t kx0, kx1;
        source_taps(ix, g->pl, KW, sw, OW, &kx0, &kx1);
        float *restrict dp = dx + ((b * g->h + iy) * g->w + ix) * C;
        if (taps3 && ky0 == 0 && ky1 == 3 && kx0 == 0 && kx1 == 3) {
          /* dy rows oy = iy + pt − ky and columns ox = ix + pl − kx, for ky, kx = 0, 1, 2 */
          const float *r0 = dy + ((b * OH + iy + g->pt) * OW + ix + g->pl) * C, *r1 = r0 - row, *r2 = r1 - row;
          for (int64_t c = 0; c < C; c++) {
            float s = r0[c] * w0[c];
            s += r0[c - C] * w1[c];
            s += r0[c - 2 * C] * w2[c];
            s += r1[c] * w3[c];
            s += r1[c - C] * w4[c];
            s += r1[c - 2 * C] * w5[c];
            s += r2[c] * w6[c];
            s += r2[c - C] * w7[c];
            s += r2[c - 2 * C] * w8[c];
            dp[c] = s;
          }
          continue;
        }
        for (int64_t c = 0; c < C; c++) dp[c] = 0.0f;
        for (int64_t ky = ky0; ky < ky1; ky++) {
          const int64_t ty = iy + g->pt - ky;
          if (ty % sh != 0) continue;
          for (int64_t kx = kx0; kx < kx1; kx++) {
            const int64_t tx = ix + g->pl - kx;
            if (tx % sw != 0) continue;
            const float *dyp = dy + ((b * OH + ty / sh) * OW + tx / sw) * C;
            const float *wp = w + (ky * KW + kx) * C;
            for (int64_t c = 0; c < C; c++) dp[c] += dyp[c] * wp[c];
          }
        }
      }
    }
  }
}

/* part[tap·C + c] = Σ over one image's output pixels of x · dy (float32; the rectangle `blocked`
   by dw_backprop_filter_blocked), then acc += part (float64). */
DALE_VECTOR_CLONES __attribute__((noinline)) static void dw_backprop_filter(const float *restrict x, const float *restrict dy, float *restrict part, double *restrict acc, const conv_geometry *g,
                                                                            rect blocked) {
  const int64_t C = g->cin, H = g->h, W = g->w, KW = g->kw, row = W * C, taps = g->kh * KW;
  const int64_t taps3 = g->kh == 3 && KW == 3;
  float *restrict f0 = part, *restrict f1 = part + C, *restrict f2 = part + 2 * C, *restrict f3 = part + 3 * C, *restrict f4 = part + 4 * C;
  float *restrict f5 = part + 5 * C, *restrict f6 = part + 6 * C, *restrict f7 = part + 7 * C, *restrict f8 = part + 8 * C;
  for (int64_t b = 0; b < g->n; b++) {
    for (int64_t i = 0; i < taps * C; i++) part[i] = 0.0f;
    if (blocked.y0 < blocked.y1 && blocked.x0 < blocked.x1) dw_backprop_filter_blocked(x, dy, part, g, b, blocked);
    for (int64_t oy = 0; oy < g->oh; oy++) {
      const int64_t iy = oy * g->sh - g->pt;
      int64_t ky0, ky1;
      valid_taps(iy, g->kh, H, &ky0, &ky1);
      for (int64_t ox = 0; ox < g->ow; ox++) {
        if (in_rect(&blocked, oy, ox)) continue;
        const int64_t ix = ox * g->sw - g->pl;
        int64_t kx0, kx1;
        valid_taps(ix, KW, W, &kx0, &kx1);
        const float *restrict d = dy + ((b * g->oh + oy) * g->ow + ox) * C;
        if (taps3 && ky0 == 0 && ky1 == 3 && kx0 == 0 && kx1 == 3) {
          const float *r0 = x + ((b * H + iy) * W + ix) * C, *r1 = r0 + row, *r2 = r1 + row;
          for (int64_t c = 0; c < C; c++) {
            const float v = d[c];
            f0[c] += r0[c] * v;
            f1[c] += r0[C + c] * v;
            f2[c] += r0[2 * C + c] * v;
            f3[c] += r1[c] * v;
            f4[c] += r1[C + c] * v;
            f5[c] += r1[2 * C + c] * v;
            f6[c] += r2[c] * v;
            f7[c] += r2[C + c] * v;
            f8[c] += r2[2 * C + c] * v;
          }
          continue;
        }
        for (int64_t ky = ky0; ky < ky1; ky++) {
          for (int64_t kx = kx0; kx < kx1; kx++) {
            const float *xp = x + ((b * H + iy + ky) * W + ix + kx) * C;
            float *fp = part + (ky * KW + kx) * C;
            for (int64_t c = 0; c < C; c++) fp[c] += xp[c] * d[c];
          }
        }
      }
    }
    for (int64_t i = 0; i < taps * C; i++) acc[i] += (double)part[i];
  }
}

/* Reads (a, b, out, geometry) and checks the lengths a >= la, b >= lb, out >= lout (element counts
   from the geometry) and channel multiplier 1. */
static int read_args(napi_env env, napi_callback_info info, const char *name, float **a, float **b, float **out, conv_geometry *g, int which) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4) {
    napi_throw_type_error(env, NULL, name);
    return 0;
  }
  size_t la, lb, lo;
  if (!get_f32(env, argv[0], a, &la) || !get_f32(env, argv[1], b, &lb) || !get_f32(env, argv[2], out, &lo) || !get_conv_geometry(env, argv[3], g)) return 0;
  const uint64_t nx = (uint64_t)(g->n * g->h * g->w * g->cin), ny = (uint64_t)(g->n * g->oh * g->ow * g->cin), nw = (uint64_t)(g->kh * g->kw * g->cin);
  /* which: 0 forward (x, w, y), 1 backprop input (dy, w, dx), 2 backprop filter (x, dy, dw) */
  const uint64_t need[3][3] = {{nx, nw, ny}, {ny, nw, nx}, {nx, ny, nw}};
  if (g->cout != g->cin || la < need[which][0] || lb < need[which][1] || lo < need[which][2]) {
    napi_throw_range_error(env, NULL, "dale_openblas.depthwiseConv2d: channel multiplier must be 1 and the arrays must hold the geometry's sizes");
    return 0;
  }
  return 1;
}

/* depthwiseConv2dForward(x, w, y, geometry) */
napi_value dale_depthwise_conv2d_forward(napi_env env, napi_callback_info info) {
  float *x, *w, *y;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.depthwiseConv2dForward: expected (x, w, y, geometry)", &x, &w, &y, &g, 0)) return NULL;
  dw_forward(x, w, y, &g);
  return NULL;
}

/* depthwiseConv2dBackpropInput(dy, w, dx, geometry) */
napi_value dale_depthwise_conv2d_backprop_input(napi_env env, napi_callback_info info) {
  float *dy, *w, *dx;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.depthwiseConv2dBackpropInput: expected (dy, w, dx, geometry)", &dy, &w, &dx, &g, 1)) return NULL;
  dw_backprop_input(dy, w, dx, &g);
  return NULL;
}

/* depthwiseConv2dBackpropFilter(x, dy, dw, geometry) */
napi_value dale_depthwise_conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  float *x, *dy, *dw;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.depthwiseConv2dBackpropFilter: expected (x, dy, dw, geometry)", &x, &dy, &dw, &g, 2)) return NULL;
  const size_t n = (size_t)(g.kh * g.kw * g.cin);
  float *part = malloc(n * sizeof(float));
  double *acc = calloc(n, sizeof(double));
  if (!part || !acc) {
    free(part);
    free(acc);
    napi_throw_error(env, NULL, "dale_openblas.depthwiseConv2dBackpropFilter: out of memory");
    return NULL;
  }
  dw_backprop_filter(x, dy, part, acc, &g, blocked_outputs(&g));
  for (size_t i = 0; i < n; i++) dw[i] = (float)acc[i];
  free(part);
  free(acc);
  return NULL;
}
