/*
 * dale_openblas.h: what the addon's source files share. The addon (built by node-gyp from
 * binding.gyp against Debian's libopenblas-dev, see ../scripts/build-addon.mjs) is split by kernel
 * family, one .c file each, with addon.c registering every function on the module:
 *
 *   gemm.c         sgemmBatched: batched sgemm for BatchMatMul / _FusedMatMul
 *   elementwise.c  binary / unary float32 loops, swapLeadingAxes (Transpose) and sumLeadingAxes (Sum)
 *   relu_rnn.c     reluRnnForward / reluRnnBackward: the fused ReLU recurrence and its BPTT
 *   relu_rnn_v2.c  reluRnnV2Forward / reluRnnV2Backward: the whole ReLU RNN layer (input product,
 *                  bias, recurrence) batch-major, and its BPTT with every gradient, in one call each
 *   ct_rnn.c       ctRnnForward / ctRnnBackward: the continuous-time (Euler) recurrence and its BPTT
 *   sgd_step.c     sgdStep: the fused projected-SGD update
 *   multi_step.c   multiStep: one SGD / momentum / Adam step of every variable, projected
 *   dann_dense.c   dannDenseForward / dannDenseBackward: the fused DANN dense layer (eq. 1)
 *   dann_dense_v2.c  dannDenseV2Forward / dannDenseV2Backward: y = f(eq. 1) with one packed saved
 *                  tensor, subtractive or divisive, and the whole gradient (dL/dx when asked) in one call
 *   dense.c        denseForward / denseBackward: the fused dense layer y = f(x Wᵀ + b), f linear or ReLU
 *   softmax_cross_entropy.c  softmaxCrossEntropy: the mean softmax cross-entropy and its logits gradient
 *   depthwise_conv.c  depthwiseConv2d{Forward,BackpropInput,BackpropFilter}: NHWC, channel multiplier 1
 *   conv2d.c       conv2d{Forward,BackpropInput,BackpropFilter}: NHWC, one sgemm for 1 × 1, im2col + sgemm otherwise
 *   max_pool.c     maxPool / maxPoolGrad: NHWC max-pooling and its gradient (tfjs's first-maximum rule)
 *   batch_norm.c   batchNorm: FusedBatchNorm with given per-channel statistics; batchNormTrain{Forward,Backward}:
 *                  the fused training-mode BatchNorm (batch statistics) and its gradient
 *   lapack.c       eigenvalues (dgeev) and singularValues (dgesdd), values only, float64
 *   addon.c        argument helpers, OpenBLAS threads and config, module init
 *
 * The fused kernels implement the contracts of @dale-nn/core (kernel names, versions, tensor
 * layouts); the TypeScript side (the kernel files in ../src) checks shapes and dtypes before calling in.
 * All matrices are row-major on the JavaScript side.
 */
#ifndef DALE_OPENBLAS_H
#define DALE_OPENBLAS_H

#include <node_api.h>
#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error(env, NULL, "dale_openblas: Node-API call failed");  \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

/* Argument readers (addon.c): 1 on success; 0 after throwing a JavaScript TypeError. */
int get_f32(napi_env env, napi_value v, float **data, size_t *length);
int get_f64(napi_env env, napi_value v, double **data, size_t *length);
int get_i64(napi_env env, napi_value v, int64_t *out);

#define GET_F32(i, ptr, len) if (!get_f32(env, argv[i], &ptr, &len)) return NULL
#define GET_I64(i, v) if (!get_i64(env, argv[i], &v)) return NULL

/* The window geometry of a 2-D convolution or pooling over NHWC tensors, as tfjs's
   computeConv2DInfo / computePool2DInfo give it: input [n, h, w, cin], output [n, oh, ow, cout],
   a kh × kw window moved by (sh, sw), the top / left padding (pt, pl; bottom / right follow from
   the sizes). Output pixel (oy, ox) reads input rows oy·sh − pt + ky and columns ox·sw − pl + kx;
   positions outside the input count as zeros (convolutions) or are skipped (pooling). */
typedef struct {
  int64_t n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, pt, pl;
} conv_geometry;
enum { CONV_GEOMETRY_FIELDS = 13 };

/* Reads a conv_geometry from an Int32Array [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, pt, pl]
   (addon.c): 1 on success; 0 after throwing (a TypeError for another type, a RangeError for a
   size < 1, a padding < 0 or sizes whose products overflow). */
int get_conv_geometry(napi_env env, napi_value v, conv_geometry *g);

/* Marks a loop helper for gcc to compile three times (AVX-512, AVX2, baseline SSE2) and pick the
   best for the running CPU at load time (an ifunc): the addon is built with the compiler's
   baseline flags, which vectorise 4 floats at a time. Only where gcc supports it (Linux, x86-64). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define DALE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define DALE_VECTOR_CLONES
#endif

/* The thinnest side, at most, of a product that dale_sgemm_thin runs on one thread. */
#define DALE_SERIAL_GEMM_SIDE 64

/* cblas_sgemm, on one thread when one of m, n, k is at most DALE_SERIAL_GEMM_SIDE; the thread
   count set by setThreads is restored after the call. For the DANN kernels, whose E→I and I→E
   products have n_I = 50 or fewer on one side: OpenBLAS splits a product across its threads by
   m·n·k alone, and on this 2-core VM a DANN training step at batch 256 ran slower on 2 threads
   than on 1 (10,493 against 11,850 samples/s); with these products serial, 12,752-16,097. Used at
   the I-side call sites only (the E products x W_EEᵀ, qᵀ x and q W_EE keep every thread): applied
   to every sgemm, the MLP at batch 32 (m = 32) lost its second thread (15,033 → 9,610 samples/s). */
static inline void dale_sgemm_thin(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha,
                                   const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
  int threads = openblas_get_num_threads();
  int serial = threads > 1 && (m <= DALE_SERIAL_GEMM_SIDE || n <= DALE_SERIAL_GEMM_SIDE || k <= DALE_SERIAL_GEMM_SIDE);
  if (serial) openblas_set_num_threads(1);
  cblas_sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  if (serial) openblas_set_num_threads(threads);
}

/* The most rows of A for which dale_sgemm_abt computes C = A Bᵀ as (B Aᵀ)ᵀ. */
#define DALE_SMALL_ROWS_ABT 32

/* C [m, n] = A [m, k] Bᵀ, B stored [n, k] (x Wᵀ with W "post x pre"), all row-major and
   contiguous (lda = ldb = k, ldc = n), C overwritten. OpenBLAS 0.3.21 runs this shape slowly for
   a few rows of A (the transposed B operand packs poorly): with m ≤ DALE_SMALL_ROWS_ABT it forms
   Cᵀ = B Aᵀ (the same sgemm call with the operands swapped) in scratch memory and transposes
   it into C. Measured here on one thread (numpy on the same OpenBLAS), x Wᵀ against W xᵀ plus the
   transpose: m = 32, 784 → 500: 0.331 against 0.271 ms; 500 → 500: 0.198 against 0.169; m = 8:
   0.193 against 0.134; at m = 64 it no longer pays for 784 → 500, at m = 128 for neither. Every
   x Wᵀ of the dense path goes through here (the fused dense and DANN layers and BatchMatMul with
   transposeB), so the fused and the separate kernels still agree bit for bit. Falls back to the
   direct call if the scratch cannot be allocated. */
static inline void dale_sgemm_abt(int m, int n, int k, const float *a, const float *b, float *c) {
  float *ct = m <= DALE_SMALL_ROWS_ABT && m > 1 ? malloc(sizeof(float) * (size_t)m * (size_t)n) : NULL;
  if (ct == NULL) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, k, 1.0f, b, k, a, k, 0.0f, ct, m);
  for (int j = 0; j < n; j++) {
    const float *row = ct + (size_t)j * (size_t)m;
    for (int r = 0; r < m; r++) c[(size_t)r * (size_t)n + (size_t)j] = row[r];
  }
  free(ct);
}

/* One Node-API function per JavaScript method; addon.c names them. */
napi_value dale_sgemm_batched(napi_env env, napi_callback_info info);
napi_value dale_eigenvalues(napi_env env, napi_callback_info info);
napi_value dale_singular_values(napi_env env, napi_callback_info info);
napi_value dale_binary(napi_env env, napi_callback_info info);
napi_value dale_unary(napi_env env, napi_callback_info info);
napi_value dale_relu_rnn_forward(napi_env env, napi_callback_info info);
napi_value dale_relu_rnn_backward(napi_env env, napi_callback_info info);
napi_value dale_relu_rnn_v2_forward(napi_env env, napi_callback_info info);
napi_value dale_relu_rnn_v2_backward(napi_env env, napi_callback_info info);
napi_value dale_ct_rnn_forward(napi_env env, napi_callback_info info);
napi_value dale_ct_rnn_backward(napi_env env, napi_callback_info info);
napi_value dale_sgd_step(napi_env env, napi_callback_info info);
napi_value dale_multi_step(napi_env env, napi_callback_info info);
napi_value dale_dann_dense_forward(napi_env env, napi_callback_info info);
napi_value dale_dann_dense_backward(napi_env env, napi_callback_info info);
napi_value dale_dann_dense_v2_forward(napi_env env, napi_callback_info info);
napi_value dale_dann_dense_v2_backward(napi_env env, napi_callback_info info);
napi_value dale_dense_forward(napi_env env, napi_callback_info info);
napi_value dale_dense_backward(napi_env env, napi_callback_info info);
napi_value dale_softmax_cross_entropy(napi_env env, napi_callback_info info);
napi_value dale_swap_leading_axes(napi_env env, napi_callback_info info);
napi_value dale_sum_leading_axes(napi_env env, napi_callback_info info);
napi_value dale_depthwise_conv2d_forward(napi_env env, napi_callback_info info);
napi_value dale_depthwise_conv2d_backprop_input(napi_env env, napi_callback_info info);
napi_value dale_depthwise_conv2d_backprop_filter(napi_env env, napi_callback_info info);
napi_value dale_conv2d_forward(napi_env env, napi_callback_info info);
napi_value dale_conv2d_backprop_input(napi_env env, napi_callback_info info);
napi_value dale_conv2d_backprop_filter(napi_env env, napi_callback_info info);
napi_value dale_max_pool(napi_env env, napi_callback_info info);
napi_value dale_max_pool_grad(napi_env env, napi_callback_info info);
napi_value dale_batch_norm(napi_env env, napi_callback_info info);
napi_value dale_batch_norm_train_forward(napi_env env, napi_callback_info info);
napi_value dale_batch_norm_train_backward(napi_env env, napi_callback_info info);

#endif /* DALE_OPENBLAS_H */
