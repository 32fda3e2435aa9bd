{
  "targets": [
    {
      "target_name": "dale_openblas",
      "sources": ["native/dale_openblas.c"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/openblas"],
      "libraries": ["-lopenblas"],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-ffp-contract=off"]
    }
  ]
}
