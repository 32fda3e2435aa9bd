/**
 * The threshold exp(−10) ≈ 4.54e-5 of paper 002, used twice: a channel whose largest response is
 * ≤ exp(−10) is silent and left out of the selectivity analyses (reference code "alive_thres"),
 * and a connection weight > exp(−10) counts as a connection (Sec. 2, Fig. 3a; App. A: it separates
 * the strong mode of the log-weight distribution from the weak ones).
 *
 * @example
 * connectionDensity(w, { threshold: PAPER_THRESHOLD }); // the default
 */
export const PAPER_THRESHOLD: number = Math.exp(-10);
