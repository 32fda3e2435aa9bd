{
  "targets": [
    {
      "target_name": "dale_openblas",
      "sources": [
        "native/addon.c",
        "native/gemm.c",
        "native/elementwise.c",
        "native/relu_rnn.c",
        "native/relu_rnn_v2.c",
        "native/ct_rnn.c",
        "native/sgd_step.c",
        "native/multi_step.c",
        "native/dann_dense.c",
        "native/dann_dense_v2.c",
        "native/dense.c",
        "native/softmax_cross_entropy.c",
        "native/depthwise_conv.c",
        "native/conv2d.c",
        "native/max_pool.c",
        "native/batch_norm.c",
        "native/lapack.c"
      ],
      "include_dirs": ["native", "<!@(node scripts/openblas-include-dirs.mjs)"],
      "libraries": ["<!@(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off"]
    }
  ]
}
