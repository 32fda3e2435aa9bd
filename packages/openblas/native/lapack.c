/* LAPACK eigenvalue and singular-value drivers (values only, float64) for @dale-nn/spectra. */
#include "dale_openblas.h"

/* LAPACK (Fortran ABI, column-major) as shipped inside libopenblas. The trailing size_t
   arguments are gfortran's hidden lengths of the character arguments. */
extern void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
                   double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
                   double *work, const int *lwork, int *info, size_t, size_t);
extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
                    double *s, double *u, const int *ldu, double *vt, const int *ldvt,
                    double *work, const int *lwork, int *iwork, int *info, size_t);

/* eigenvalues(a: Float64Array n*n (overwritten), n, wr: Float64Array, wi: Float64Array) -> info */
napi_value dale_eigenvalues(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "dale_openblas.eigenvalues: expected 4 arguments");
    return NULL;
  }
  double *a, *wr, *wi;
  size_t la, lr, li;
  int64_t n64;
  if (!get_f64(env, argv[0], &a, &la) || !get_i64(env, argv[1], &n64) || !get_f64(env, argv[2], &wr, &lr) ||
      !get_f64(env, argv[3], &wi, &li)) return NULL;
  if (n64 < 1 || n64 > 100000 || (uint64_t)(n64 * n64) > la || (uint64_t)n64 > lr || (uint64_t)n64 > li) {
    napi_throw_range_error(env, NULL, "dale_openblas.eigenvalues: sizes exceed the arrays");
    return NULL;
  }
  int n = (int)n64, one = 1, lwork = -1, status = 0;
  double query = 0, dummy = 0;
  /* Row-major A is column-major Aᵀ, which has the same eigenvalues. */
  dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, &query, &lwork, &status, 1, 1);
  if (status == 0) {
    lwork = (int)query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    if (!work) {
      napi_throw_error(env, NULL, "dale_openblas.eigenvalues: out of memory");
      return NULL;
    }
    dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, work, &lwork, &status, 1, 1);
    free(work);
  }
  napi_value out;
  CHECK(napi_create_int32(env, status, &out));
  return out;
}

/* singularValues(a: Float64Array rows*cols (overwritten), rows, cols, s: Float64Array) -> info */
napi_value dale_singular_values(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "dale_openblas.singularValues: expected 4 arguments");
    return NULL;
  }
  double *a, *s;
  size_t la, ls;
  int64_t rows, cols;
  if (!get_f64(env, argv[0], &a, &la) || !get_i64(env, argv[1], &rows) || !get_i64(env, argv[2], &cols) ||
      !get_f64(env, argv[3], &s, &ls)) return NULL;
  int64_t kmin = rows < cols ? rows : cols;
  if (rows < 1 || cols < 1 || rows > 1000000 || cols > 1000000 || (uint64_t)(rows * cols) > la || (uint64_t)kmin > ls) {
    napi_throw_range_error(env, NULL, "dale_openblas.singularValues: sizes exceed the arrays");
    return NULL;
  }
  /* Row-major rows x cols is column-major cols x rows (the transpose: same singular values). */
  int m = (int)cols, n = (int)rows, lda = (int)cols, one = 1, lwork = -1, status = 0;
  double query = 0, dummy = 0;
  int *iwork = malloc(sizeof(int) * 8 * (size_t)kmin);
  if (!iwork) {
    napi_throw_error(env, NULL, "dale_openblas.singularValues: out of memory");
    return NULL;
  }
  dgesdd_("N", &m, &n, a, &lda, s, &dummy, &one, &dummy, &one, &query, &lwork, iwork, &status, 1);
  if (status == 0) {
    lwork = (int)query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    if (!work) {
      free(iwork);
      napi_throw_error(env, NULL, "dale_openblas.singularValues: out of memory");
      return NULL;
    }
    dgesdd_("N", &m, &n, a, &lda, s, &dummy, &one, &dummy, &one, work, &lwork, iwork, &status, 1);
    free(work);
  }
  free(iwork);
  napi_value out;
  CHECK(napi_create_int32(env, status, &out));
  return out;
}
