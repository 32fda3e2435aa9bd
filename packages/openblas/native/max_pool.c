/* Max-pooling of NHWC tensors and its gradient: the MaxPool and MaxPoolGrad kernels of the
   OpenBLAS backend (geometry as in conv_geometry, with cout = cin = C).

     forward   y[b, oy, ox, c] = max over the window taps inside x of x[b, oy·sh − pt + ky, ox·sw − pl + kx, c]
     gradient  dx[b, iy, ix, c] = Σ over the windows whose first maximum is x[b, iy, ix, c] of dy[b, oy, ox, c]

   The rules are tfjs's CPU kernels' (pool / maxPoolPositions): the window is scanned row by row
   from −∞ and a tap replaces the running maximum only when it is strictly greater, so NaN never
   wins, the first of equal maxima (and the first of ±0) is the one kept, and a window of NaNs
   only gives −∞ and passes no gradient. The gradient adds the windows in increasing output
   order in float64 and rounds once, as tfjs's sum over them does (so the result is tfjs's to the
   bit), one image at a time in a float64 scratch image that stays in cache. Loops run over the
   contiguous channel axis. */
#include "dale_openblas.h"

static inline void window_taps(int64_t start, int64_t k, int64_t size, int64_t *k0, int64_t *k1) {
  *k0 = start < 0 ? -start : 0;
  *k1 = start + k > size ? size - start : k;
}

DALE_VECTOR_CLONES __attribute__((noinline)) static void max_pool(const float *restrict x, float *restrict y, const conv_geometry *g) {
  const int64_t C = g->cin, H = g->h, W = g->w;
  for (int64_t b = 0; b < g->n; b++) {
    for (int64_t oy = 0; oy < g->oh; oy++) {
      const int64_t iy = oy * g->sh - g->pt;
      int64_t ky0, ky1;
      window_taps(iy, g->kh, H, &ky0, &ky1);
      for (int64_t ox = 0; ox < g->ow; ox++) {
        const int64_t ix = ox * g->sw - g->pl;
        int64_t kx0, kx1;
        window_taps(ix, g->kw, W, &kx0, &kx1);
        float *restrict yp = y + ((b * g->oh + oy) * g->ow + ox) * C;
        for (int64_t c = 0; c < C; c++) yp[c] = -INFINITY;
        for (int64_t ky = ky0; ky < ky1; ky++) {
          for (int64_t kx = kx0; kx < kx1; kx++) {
            const float *xp = x + ((b * H + iy + ky) * W + ix + kx) * C;
            for (int64_t c = 0; c < C; c++) yp[c] = xp[c] > yp[c] ? xp[c] : yp[c];
          }
        }
      }
    }
  }
}

/* best / where are scratch rows of C, acc a scratch image of h·w·C. */
DALE_VECTOR_CLONES __attribute__((noinline)) static void max_pool_grad(const float *restrict dy, const float *restrict x, float *restrict dx, float *restrict best, int32_t *restrict where,
                                                                       double *restrict acc, const conv_geometry *g) {
  const int64_t C = g->cin, H = g->h, W = g->w, image = H * W * C;
  for (int64_t b = 0; b < g->n; b++) {
    for (int64_t i = 0; i < image; i++) acc[i] = 0.0;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      const int64_t iy = oy * g->sh - g->pt;
      int64_t ky0, ky1;
      window_taps(iy, g->kh, H, &ky0, &ky1);
      for (int64_t ox = 0; ox < g->ow; ox++) {
        const int64_t ix = ox * g->sw - g->pl;
        int64_t kx0, kx1;
        window_taps(ix, g->kw, W, &kx0, &kx1);
        for (int64_t c = 0; c < C; c++) {
          best[c] = -INFINITY;
          where[c] = -1;
        }
        for (int64_t ky = ky0; ky < ky1; ky++) {
          for (int64_t kx = kx0; kx < kx1; kx++) {
            const float *xp = x + ((b * H + iy + ky) * W + ix + kx) * C;
            /* the offset of this tap's pixel in the image, in pixels */
            const int32_t at = (int32_t)((iy + ky) * W + ix + kx);
            for (int64_t c = 0; c < C; c++) {
              const int better = xp[c] > best[c];
              best[c] = better ? xp[c] : best[c];
              where[c] = better ? at : where[c];
            }
          }
        }
        const float *d = dy + ((b * g->oh + oy) * g->ow + ox) * C;
        for (int64_t c = 0; c < C; c++) {
          if (where[c] >= 0) acc[(int64_t)where[c] * C + c] += (double)d[c];
        }
      }
    }
    float *img = dx + b * image;
    for (int64_t i = 0; i < image; i++) img[i] = (float)acc[i];
  }
}

static int read_args(napi_env env, napi_callback_info info, size_t count, const char *usage, float **arrays, size_t *lengths, conv_geometry *g) {
  size_t argc = count + 1;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != count + 1) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  for (size_t i = 0; i < count; i++) {
    if (!get_f32(env, argv[i], &arrays[i], &lengths[i])) return 0;
  }
  if (!get_conv_geometry(env, argv[count], g)) return 0;
  if (g->cout != g->cin || g->h * g->w > INT32_MAX) {
    napi_throw_range_error(env, NULL, "dale_openblas.maxPool: output channels must equal input channels");
    return 0;
  }
  return 1;
}

/* maxPool(x, y, geometry) */
napi_value dale_max_pool(napi_env env, napi_callback_info info) {
  float *a[2];
  size_t l[2];
  conv_geometry g;
  if (!read_args(env, info, 2, "dale_openblas.maxPool: expected (x, y, geometry)", a, l, &g)) return NULL;
  if (l[0] < (uint64_t)(g.n * g.h * g.w * g.cin) || l[1] < (uint64_t)(g.n * g.oh * g.ow * g.cin)) {
    napi_throw_range_error(env, NULL, "dale_openblas.maxPool: the arrays must hold the geometry's sizes");
    return NULL;
  }
  max_pool(a[0], a[1], &g);
  return NULL;
}

/* maxPoolGrad(dy, x, dx, geometry) */
napi_value dale_max_pool_grad(napi_env env, napi_callback_info info) {
  float *a[3];
  size_t l[3];
  conv_geometry g;
  if (!read_args(env, info, 3, "dale_openblas.maxPoolGrad: expected (dy, x, dx, geometry)", a, l, &g)) return NULL;
  const uint64_t nx = (uint64_t)(g.n * g.h * g.w * g.cin);
  if (l[0] < (uint64_t)(g.n * g.oh * g.ow * g.cin) || l[1] < nx || l[2] < nx) {
    napi_throw_range_error(env, NULL, "dale_openblas.maxPoolGrad: the arrays must hold the geometry's sizes");
    return NULL;
  }
  float *best = malloc(sizeof(float) * (size_t)g.cin);
  int32_t *where = malloc(sizeof(int32_t) * (size_t)g.cin);
  double *acc = malloc(sizeof(double) * (size_t)(g.h * g.w * g.cin));
  if (!best || !where || !acc) {
    free(best);
    free(where);
    free(acc);
    napi_throw_error(env, NULL, "dale_openblas.maxPoolGrad: out of memory");
    return NULL;
  }
  max_pool_grad(a[0], a[1], a[2], best, where, acc, &g);
  free(best);
  free(where);
  free(acc);
  return NULL;
}
