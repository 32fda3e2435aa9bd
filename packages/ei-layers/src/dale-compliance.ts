import { formatValue } from "@dale-nn/core";
import { toDenseMatrix, type DenseMatrix, type MatrixInput } from "@dale-nn/spectra";

/**
 * The presynaptic unit types of {@link daleCompliance}: n_e (the first n_e columns excitatory, the
 * rest inhibitory, as in `CtEiRnn`), one sign per column (+1 E, −1 I, as the layer's `signs`), or
 * one "E" / "I" per column.
 */
export type PresynapticTypes = number | ArrayLike<number> | readonly ("E" | "I")[];

/** Options of {@link daleCompliance}. */
export interface DaleComplianceOptions {
  /** The presynaptic types, for the wrong-sign shares; default none (only the type-free measures). */
  types?: PresynapticTypes;
  /** |w| <= tolerance counts as 0 (no sign, no mass); default 0. */
  tolerance?: number;
}

/** The wrong-sign part of {@link DaleCompliance}, given the unit types. */
export interface DaleWrongSign {
  /** Σ_j wrong_j / Σ_j (P_j + N_j): the share of all absolute weight mass with the wrong sign for its column's type. */
  readonly massShare: number;
  /** The same within the excitatory columns (their negative mass over their mass); 0 without E columns or mass. */
  readonly excitatoryMassShare: number;
  /** The same within the inhibitory columns (their positive mass over their mass); 0 without I columns or mass. */
  readonly inhibitoryMassShare: number;
  /** Per column, wrong_j / (P_j + N_j) (0 for a column without mass). */
  readonly columnShare: Float64Array;
  /** Columns holding at least one wrong-signed weight. */
  readonly columns: number;
}

/** What {@link daleCompliance} returns. */
export interface DaleCompliance {
  readonly rows: number;
  readonly columns: number;
  /** Columns with at least one weight |w| > tolerance. */
  readonly activeColumns: number;
  /** Active columns holding weights of both signs. */
  readonly mixedColumns: number;
  /** mixedColumns / activeColumns (0 when no column is active). */
  readonly mixedColumnFraction: number;
  /** Per column, the minority sign's share of the column's absolute mass, min(P_j, N_j) / (P_j + N_j) (0 for an empty column). */
  readonly columnMinorityShare: Float64Array;
  /** Mean of `columnMinorityShare` over the active columns (each column counts once). */
  readonly meanColumnMinorityShare: number;
  /** Σ_j min(P_j, N_j) / Σ_j (P_j + N_j): the minority-sign share of all absolute mass (each column weighted by its mass). */
  readonly minorityMassShare: number;
  /** Given `types`: the mass with the wrong sign for each column's type; null without types. */
  readonly wrongSign: DaleWrongSign | null;
}

const CONTEXT = "daleCompliance";

function readTypes(types: PresynapticTypes, cols: number): Int8Array {
  if (typeof types === "number") {
    if (!Number.isInteger(types) || types < 0 || types > cols) throw new RangeError(`${CONTEXT}: types as n_e must be an integer in [0, ${cols}] (the matrix has ${cols} columns); got ${formatValue(types)}`);
    return Int8Array.from({ length: cols }, (_, j) => (j < types ? 1 : -1));
  }
  if (types === null || typeof types !== "object" || typeof (types as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${CONTEXT}: types must be n_e, one sign (+1 / −1) or one "E" / "I" per column; got ${formatValue(types)}`);
  }
  const list = types as ArrayLike<unknown>;
  if (list.length !== cols) throw new RangeError(`${CONTEXT}: types has ${list.length} entries; expected one per presynaptic column (${cols})`);
  return Int8Array.from({ length: cols }, (_, j) => {
    const t = list[j];
    if (t === 1 || t === "E") return 1;
    if (t === -1 || t === "I") return -1;
    throw new RangeError(`${CONTEXT}: types[${j}] must be +1 / "E" (excitatory) or −1 / "I" (inhibitory); got ${formatValue(t)}`);
  });
}

function read(w: MatrixInput): DenseMatrix {
  try {
    return toDenseMatrix(w);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("toDenseMatrix:")) {
      const Ctor = e instanceof TypeError ? TypeError : RangeError;
      throw new Ctor(e.message.replace(/^toDenseMatrix:/, `${CONTEXT}:`));
    }
    throw e;
  }
}

/**
 * How far a recurrent (or feedforward) matrix W [post, pre] is from Dale's law, per presynaptic
 * column j (Seay 2019: "each column of W_rec will contain either exclusively nonnegative or
 * exclusively nonpositive values"; a trained mixture a·W_dale + (1 − a)·W_free obeys it only as
 * a → 1). With P_j = Σ_i max(W_ij, 0) and N_j = Σ_i max(−W_ij, 0), over the entries with |W_ij| > tol:
 *
 * - mixed columns: columns with P_j > 0 and N_j > 0, as a fraction of the columns with any weight;
 * - minority share m_j = min(P_j, N_j) / (P_j + N_j), its mean over columns, and over the matrix
 *   M = Σ_j min(P_j, N_j) / Σ_j (P_j + N_j);
 * - given types s_j (E: +1, I: −1), the wrong-sign mass wrong_j = N_j (E) or P_j (I) and its share
 *   Σ_j wrong_j / Σ_j (P_j + N_j), overall and within each type.
 *
 * A pure Dale matrix gives 0 everywhere; a column with all signs flipped is not mixed (m_j = 0)
 * but all of its mass is wrong for its type. Computed in float64 on a copy of W.
 *
 * @param w - W, [post, pre]: `{ data, rows, cols }`, `number[][]` or a 2-D tensor (read with `dataSync`; not disposed)
 * @param options - the presynaptic types and the zero tolerance
 * @returns the measures of {@link DaleCompliance}
 * @throws RangeError on an empty or non-finite matrix, types of the wrong length or value, or a tolerance that is not a finite number >= 0; TypeError on an input of another kind
 * @example
 * const w = rnn.effectiveRecurrentWeight();
 * const { mixedColumnFraction, wrongSign } = daleCompliance(w, { types: rnn.ne });
 * w.dispose();
 */
export function daleCompliance(w: MatrixInput, options: DaleComplianceOptions = {}): DaleCompliance {
  const tol = options.tolerance ?? 0;
  if (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0) throw new RangeError(`${CONTEXT}: tolerance must be a finite number >= 0; got ${formatValue(tol)}`);
  const { data, rows, cols } = read(w);
  const types = options.types === undefined ? null : readTypes(options.types, cols);
  const pos = new Float64Array(cols);
  const neg = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] as number;
      if (v > tol) pos[j] = (pos[j] as number) + v;
      else if (v < -tol) neg[j] = (neg[j] as number) - v;
    }
  }
  const columnMinorityShare = new Float64Array(cols);
  let active = 0;
  let mixed = 0;
  let minority = 0;
  let total = 0;
  let shareSum = 0;
  for (let j = 0; j < cols; j++) {
    const p = pos[j] as number;
    const n = neg[j] as number;
    if (p + n === 0) continue;
    active++;
    if (p > 0 && n > 0) mixed++;
    const share = Math.min(p, n) / (p + n);
    columnMinorityShare[j] = share;
    shareSum += share;
    minority += Math.min(p, n);
    total += p + n;
  }
  let wrongSign: DaleWrongSign | null = null;
  if (types) {
    const columnShare = new Float64Array(cols);
    let wrong = 0;
    const byType = { E: { wrong: 0, mass: 0 }, I: { wrong: 0, mass: 0 } };
    let wrongColumns = 0;
    for (let j = 0; j < cols; j++) {
      const p = pos[j] as number;
      const n = neg[j] as number;
      const e = types[j] === 1;
      const wj = e ? n : p;
      const t = e ? byType.E : byType.I;
      t.wrong += wj;
      t.mass += p + n;
      wrong += wj;
      if (wj > 0) wrongColumns++;
      if (p + n > 0) columnShare[j] = wj / (p + n);
    }
    wrongSign = {
      massShare: total > 0 ? wrong / total : 0,
      excitatoryMassShare: byType.E.mass > 0 ? byType.E.wrong / byType.E.mass : 0,
      inhibitoryMassShare: byType.I.mass > 0 ? byType.I.wrong / byType.I.mass : 0,
      columnShare,
      columns: wrongColumns,
    };
  }
  return {
    rows,
    columns: cols,
    activeColumns: active,
    mixedColumns: mixed,
    mixedColumnFraction: active > 0 ? mixed / active : 0,
    columnMinorityShare,
    meanColumnMinorityShare: active > 0 ? shareSum / active : 0,
    minorityMassShare: total > 0 ? minority / total : 0,
    wrongSign,
  };
}
