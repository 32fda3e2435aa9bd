// The part of jStat (npm `jstat`, CommonJS, no bundled types) the reports use.
declare module "jstat" {
  const jStat: {
    /** Student's t distribution. */
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
    /** Spearman's rank correlation (ties get average ranks). */
    spearmancoeff(x: number[], y: number[]): number;
    /** The F distribution. */
    centralF: { cdf(x: number, df1: number, df2: number): number };
    /** The normal distribution. */
    normal: { cdf(x: number, mean: number, std: number): number };
  };
  export default jStat;
}
