import { nelderMead } from "./internal/nelder-mead.js";
import { normalCdf, normalPdf } from "./internal/normal-cdf.js";
import { fmt } from "./internal/validate.js";
import type { PsychometricLevel } from "./psychometric-levels.js";

/** Options of {@link fitPsychometric}. */
export interface PsychometricFitOptions {
  /** γ, the rate of the counted choice far below threshold: a number in [0, 1) held fixed, or "fit"; default 0. */
  guessRate?: number | "fit";
  /** λ, the rate of the other choice far above threshold: a number in [0, 1) held fixed, or "fit"; default 0. */
  lapseRate?: number | "fit";
  /** Upper bound of a fitted γ or λ, in (0, 0.5); default 0.2. */
  maxLapse?: number;
}

/** What {@link fitPsychometric} returns. */
export interface PsychometricFit {
  /** μ, the bias (point of subjective equality when γ = λ): P(μ) = γ + (1 − γ − λ) / 2. */
  readonly mu: number;
  /** σ: the spread; negative when the counted choice becomes less likely as x grows; 0 when `separated`. */
  readonly sigma: number;
  /** 1 / σ (±Infinity when `separated`). */
  readonly slope: number;
  /** dP/dx at x = μ: (1 − γ − λ) / (σ √(2π)) (±Infinity when `separated`). */
  readonly slopeAtMu: number;
  /** γ, fitted or as given. */
  readonly guessRate: number;
  /** λ, fitted or as given. */
  readonly lapseRate: number;
  /**
   * Standard errors of μ and σ from the inverse Fisher information of (μ, σ) at the estimate (the
   * lapse rates held at their values); null when `separated`.
   */
  readonly standardErrors: { readonly mu: number; readonly sigma: number } | null;
  /** The maximised binomial log-likelihood ℓ (without the constant Σ log C(n, k)). */
  readonly logLikelihood: number;
  /** Deviance 2 (ℓ_saturated − ℓ): about χ² with (levels − fitted parameters) degrees of freedom for a good fit. */
  readonly deviance: number;
  readonly trials: number;
  /** Distinct stimulus levels. */
  readonly levels: number;
  /**
   * True when the likelihood keeps growing as σ → 0, so that no finite σ is the maximum: the data
   * are separated at a threshold (every level below chose the other option, every level above
   * the counted one, at most one level in between mixed), or, with lapse rates, a step fits best.
   * Then σ = 0, the slopes are ±Infinity and μ is the threshold: the mixed level, or the midpoint
   * of the gap between the last level of one choice and the first of the other.
   */
  readonly separated: boolean;
  /** Fisher-scoring iterations of the final (μ, σ) fit. */
  readonly iterations: number;
}

interface Level {
  x: number;
  n: number;
  k: number;
}

const CONTEXT = "fitPsychometric";

function readLevels(levels: readonly Pick<PsychometricLevel, "x" | "trials" | "chosen">[]): Level[] {
  if (!Array.isArray(levels) || levels.length === 0) throw new RangeError(`${CONTEXT}: levels must be a non-empty array of { x, trials, chosen }; got ${fmt(levels)}`);
  const merged = new Map<number, Level>();
  levels.forEach((l, i) => {
    const { x, trials, chosen } = (l ?? {}) as { x?: unknown; trials?: unknown; chosen?: unknown };
    if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${CONTEXT}: levels[${i}].x must be a finite number; got ${fmt(x)}`);
    if (typeof trials !== "number" || !Number.isInteger(trials) || trials < 1) throw new RangeError(`${CONTEXT}: levels[${i}].trials must be an integer >= 1; got ${fmt(trials)}`);
    if (typeof chosen !== "number" || !Number.isInteger(chosen) || chosen < 0 || chosen > trials) {
      throw new RangeError(`${CONTEXT}: levels[${i}].chosen must be an integer in [0, trials = ${trials}]; got ${fmt(chosen)}`);
    }
    const m = merged.get(x) ?? { x, n: 0, k: 0 };
    m.n += trials;
    m.k += chosen;
    merged.set(x, m);
  });
  return [...merged.values()].sort((a, b) => a.x - b.x);
}

function rate(name: "guessRate" | "lapseRate", v: unknown): number | "fit" {
  if (v === undefined) return 0;
  if (v === "fit") return v;
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new RangeError(`${CONTEXT}: ${name} must be a number in [0, 1) or "fit"; got ${fmt(v)}`);
  return v;
}

/** ℓ(η) for P = γ + s Φ(η), 1 − P = λ + s Φ(−η) (no cancellation in either tail). */
function logLikelihood(ls: readonly Level[], u: Float64Array, a: number, b: number, g: number, l: number): number {
  const s = 1 - g - l;
  let ll = 0;
  ls.forEach(({ n, k }, i) => {
    const eta = a + b * (u[i] as number);
    if (k > 0) ll += k * Math.log(g + s * normalCdf(eta));
    if (n - k > 0) ll += (n - k) * Math.log(l + s * normalCdf(-eta));
  });
  return Number.isNaN(ll) ? -Infinity : ll;
}

interface Inner {
  a: number;
  b: number;
  ll: number;
  /** Expected information of (a, b): [I_aa, I_ab, I_bb]. */
  info: [number, number, number];
  iterations: number;
  step: boolean;
}

/** Largest |b| on the standardised axis before the fit is called a step (σ < 1e−6 standard deviations of x). */
const STEP_SLOPE = 1e6;

/**
 * Fisher scoring (IRLS) with step halving for η = a + b u, fixed γ, λ: Δ = I⁻¹ ∇ℓ with
 * ∂ℓ/∂η_i = (k_i − n_i P_i) s φ(η_i) / (P_i (1 − P_i)), I = Σ_i n_i (s φ(η_i))² / (P_i (1 − P_i)) [1 u_i]ᵀ[1 u_i].
 * For γ = λ = 0 this is probit regression, whose log-likelihood is concave, so it converges from any start.
 */
function scoringFit(ls: readonly Level[], u: Float64Array, g: number, l: number, a0: number, b0: number): Inner {
  const s = 1 - g - l;
  let a = a0;
  let b = b0;
  let ll = logLikelihood(ls, u, a, b, g, l);
  let info: [number, number, number] = [0, 0, 0];
  let it = 0;
  for (; it < 200; it++) {
    let ga = 0;
    let gb = 0;
    let iaa = 0;
    let iab = 0;
    let ibb = 0;
    ls.forEach(({ n, k }, i) => {
      const ui = u[i] as number;
      const eta = a + b * ui;
      const p = g + s * normalCdf(eta);
      const q = l + s * normalCdf(-eta);
      const pq = Math.max(p * q, 1e-300);
      const d = s * normalPdf(eta);
      const score = ((k - n * p) * d) / pq;
      const w = (n * d * d) / pq;
      ga += score;
      gb += score * ui;
      iaa += w;
      iab += w * ui;
      ibb += w * ui * ui;
    });
    info = [iaa, iab, ibb];
    const det = iaa * ibb - iab * iab;
    if (!(det > 0) || !Number.isFinite(det)) break;
    const da = (ibb * ga - iab * gb) / det;
    const db = (iaa * gb - iab * ga) / det;
    // Newton decrement ∇ℓᵀ I⁻¹ ∇ℓ ≈ 2 (ℓ* − ℓ): stop when the remaining gain is negligible.
    if (ga * da + gb * db < 1e-12 * Math.max(1, Math.abs(ll))) break;
    let t = 1;
    let accepted = false;
    for (let h = 0; h < 50; h++, t /= 2) {
      const cand = logLikelihood(ls, u, a + t * da, b + t * db, g, l);
      if (cand >= ll) {
        a += t * da;
        b += t * db;
        ll = cand;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    if (Math.abs(b) > STEP_SLOPE) return { a, b, ll, info, iterations: it + 1, step: true };
  }
  return { a, b, ll, info, iterations: it, step: false };
}

/** "low* M? high*" in x order, with low / high the labels of k = 0 / k = n levels. */
function separatedAs(labels: readonly string[], low: string, high: string): boolean {
  let i = 0;
  while (labels[i] === low) i++;
  if (labels[i] === "M") i++;
  while (labels[i] === high) i++;
  return i === labels.length;
}

function saturatedLogLikelihood(ls: readonly Level[]): number {
  let ll = 0;
  for (const { n, k } of ls) {
    if (k > 0) ll += k * Math.log(k / n);
    if (n - k > 0) ll += (n - k) * Math.log(1 - k / n);
  }
  return ll;
}

/**
 * Maximum-likelihood fit of a cumulative-Gaussian psychometric function to binomial choice data,
 *
 *   P(choice | x) = γ + (1 − γ − λ) Φ((x − μ) / σ),
 *
 * maximising ℓ = Σ_i k_i log P(x_i) + (n_i − k_i) log(1 − P(x_i)) over the levels (Wichmann & Hill
 * 2001, Eq. 1–2; the probit fit of Britten et al. 1992 and of Song, Yang & Wang 2016, Fig. 2, with
 * μ the bias and 1/σ the sensitivity). μ, σ are found by Fisher scoring on η = a + b·x (σ = 1/b,
 * μ = −a/b; x standardised internally) with step halving; a fitted γ and / or λ by a bounded
 * Nelder–Mead on the profile likelihood max_{μ,σ} ℓ(μ, σ; γ, λ) over [0, maxLapse]. Everything is
 * float64 and deterministic.
 *
 * No library: the problem has two to four parameters and one likelihood, and Φ must be accurate in
 * the tails (Φ(−37) ≈ 6e−300) so that steep curves and near-separated data give finite log-likelihoods;
 * a dozen lines of Fisher scoring do it exactly, run in the browser too, and carry no dependency.
 *
 * @param levels - per stimulus level x: trials n and counted choices k (e.g. from {@link psychometricLevels}); levels with equal x are merged
 * @param options - γ and λ: fixed numbers (default 0) or "fit" (bounded by `maxLapse`)
 * @returns μ, σ, the slopes, the lapse rates, standard errors, ℓ and the deviance (see {@link PsychometricFit})
 * @throws RangeError on an empty list, a level that is not { finite x, integer trials >= 1, integer chosen in [0, trials] },
 *   fewer than 2 distinct levels, all trials making the same choice (μ would be ±∞), γ or λ outside [0, 1) or
 *   γ + λ >= 1, or maxLapse outside (0, 0.5)
 * @example
 * const fit = fitPsychometric(psychometricLevels(signedCoherence, choseRight));
 * fit.mu; // bias in % coherence
 * fit.slope; // 1/σ
 */
export function fitPsychometric(levels: readonly Pick<PsychometricLevel, "x" | "trials" | "chosen">[], options: PsychometricFitOptions = {}): PsychometricFit {
  const ls = readLevels(levels);
  const guess = rate("guessRate", options.guessRate);
  const lapse = rate("lapseRate", options.lapseRate);
  const maxLapse = options.maxLapse ?? 0.2;
  if (typeof maxLapse !== "number" || !(maxLapse > 0 && maxLapse < 0.5)) throw new RangeError(`${CONTEXT}: maxLapse must be a number in (0, 0.5); got ${fmt(maxLapse)}`);
  if (typeof guess === "number" && typeof lapse === "number" && guess + lapse >= 1) {
    throw new RangeError(`${CONTEXT}: guessRate + lapseRate must be < 1; got ${guess} + ${lapse}`);
  }
  const trials = ls.reduce((t, l) => t + l.n, 0);
  const chosen = ls.reduce((t, l) => t + l.k, 0);
  if (ls.length < 2) throw new RangeError(`${CONTEXT}: got 1 stimulus level (x = ${ls[0]!.x}); expected at least 2 distinct levels to fit μ and σ`);
  if (chosen === 0 || chosen === trials) {
    throw new RangeError(`${CONTEXT}: all ${trials} trials ${chosen === 0 ? "made the other choice" : "made the counted choice"}; the curve has no threshold within the data (μ → ${chosen === 0 ? "+" : "−"}∞), so μ and σ cannot be fitted`);
  }
  const llSat = saturatedLogLikelihood(ls);
  const base = { trials, levels: ls.length };

  const labels = ls.map(({ n, k }) => (k === 0 ? "0" : k === n ? "1" : "M"));
  const up = separatedAs(labels, "0", "1");
  if (up || separatedAs(labels, "1", "0")) {
    // σ → 0: fitted lapse rates go to 0, every level reaches its best P within [γ, 1 − λ].
    const g = guess === "fit" ? 0 : guess;
    const l = lapse === "fit" ? 0 : lapse;
    const mixed = labels.indexOf("M");
    let mu: number;
    if (mixed >= 0) mu = ls[mixed]!.x;
    else {
      const last = labels.lastIndexOf(up ? "0" : "1");
      mu = (ls[last]!.x + ls[last + 1]!.x) / 2;
    }
    let ll = 0;
    for (const { n, k } of ls) {
      const p = Math.min(1 - l, Math.max(g, k / n));
      if (k > 0) ll += k * Math.log(p);
      if (n - k > 0) ll += (n - k) * Math.log(1 - p);
    }
    const inf = up ? Infinity : -Infinity;
    return { mu, sigma: 0, slope: inf, slopeAtMu: inf, guessRate: g, lapseRate: l, standardErrors: null, logLikelihood: ll, deviance: 2 * (llSat - ll), ...base, separated: true, iterations: 0 };
  }

  // Standardise x: u = (x − m) / sd (sd over the levels, > 0 with >= 2 distinct levels).
  const m = ls.reduce((t, l) => t + l.x, 0) / ls.length;
  const sd = Math.sqrt(ls.reduce((t, l) => t + (l.x - m) ** 2, 0) / ls.length);
  const u = Float64Array.from(ls, (l) => (l.x - m) / sd);
  // Start: σ = sd, oriented by the sign of the covariance of u and p̂.
  const cov = ls.reduce((t, l, i) => t + (u[i] as number) * (l.k / l.n), 0);
  const b0 = cov >= 0 ? 1 : -1;

  let g = typeof guess === "number" ? guess : 0;
  let l = typeof lapse === "number" ? lapse : 0;
  let inner = scoringFit(ls, u, g, l, 0, b0);
  const free = [guess === "fit", lapse === "fit"];
  const nFree = free.filter(Boolean).length;
  if (nFree > 0) {
    let warm = { a: inner.a, b: inner.b };
    const unpack = (p: Float64Array): [number, number] => {
      let j = 0;
      const gg = free[0] ? (p[j++] as number) : g;
      const lg = free[1] ? (p[j++] as number) : l;
      return [gg, lg];
    };
    const objective = (p: Float64Array): number => {
      const [gg, lg] = unpack(p);
      if (gg + lg >= 1) return Infinity;
      const r = scoringFit(ls, u, gg, lg, warm.a, warm.b);
      if (Number.isFinite(r.ll) && !r.step) warm = { a: r.a, b: r.b };
      return -r.ll;
    };
    const start = Math.min(0.02, maxLapse / 2);
    const best = nelderMead(objective, Array(nFree).fill(start), {
      lo: Array(nFree).fill(0),
      hi: Array(nFree).fill(maxLapse),
      step: Array(nFree).fill(maxLapse / 4),
      tolerance: 1e-10,
    });
    [g, l] = unpack(best.x);
    inner = scoringFit(ls, u, g, l, warm.a, warm.b);
  }

  const s = 1 - g - l;
  const { a, b } = inner;
  const mu = m - (a * sd) / b;
  if (inner.step) {
    return { mu, sigma: 0, slope: Math.sign(b) * Infinity, slopeAtMu: Math.sign(b) * Infinity, guessRate: g, lapseRate: l, standardErrors: null, logLikelihood: inner.ll, deviance: 2 * (llSat - inner.ll), ...base, separated: true, iterations: inner.iterations };
  }
  const sigma = sd / b;
  // Delta method: μ = m − a sd / b, σ = sd / b; Cov(a, b) = I⁻¹.
  const [iaa, iab, ibb] = inner.info;
  const det = iaa * ibb - iab * iab;
  const [caa, cab, cbb] = [ibb / det, -iab / det, iaa / det];
  const jmu = [-sd / b, (a * sd) / (b * b)] as const;
  const jsig = -sd / (b * b);
  const varMu = jmu[0] * jmu[0] * caa + 2 * jmu[0] * jmu[1] * cab + jmu[1] * jmu[1] * cbb;
  const varSigma = jsig * jsig * cbb;
  return {
    mu,
    sigma,
    slope: 1 / sigma,
    slopeAtMu: (s * normalPdf(0)) / sigma,
    guessRate: g,
    lapseRate: l,
    standardErrors: det > 0 ? { mu: Math.sqrt(varMu), sigma: Math.sqrt(varSigma) } : null,
    logLikelihood: inner.ll,
    deviance: 2 * (llSat - inner.ll),
    ...base,
    separated: false,
    iterations: inner.iterations,
  };
}
