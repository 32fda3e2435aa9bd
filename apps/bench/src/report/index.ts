export { writeFileAtomic } from "./write-file-atomic.js";
export { meanStd, formatMeanStd, type MeanStd } from "./mean-std.js";
export { vegaLiteSvg } from "./vega-lite-svg.js";
export { markdownTable } from "./markdown-table.js";
export { isTruncatedJson } from "./is-truncated-json.js";
export { writeMarkdownReport } from "./write-markdown-report.js";
export { compareMeanStd, type MeanStdComparison } from "./compare-mean-std.js";
export { pairedDifference, type PairedDifference } from "./paired-difference.js";
