// npm run eval:calibrate — fits the confidence model (packages/retrieval/src/confidence.ts) on the dev
// sets: a logistic regression of "the first article is a right one" on the logged features, each set
// weighted equally so that the big set does not decide alone, with L2 regularisation. Prints the
// coefficients to paste into CONFIDENCE_MODEL and each set's AUROC and answer precision at 0.75.
// Input: the eval command's own output, so the fit sees exactly what the API computes:
//   npm run eval -- ../shared/eval/<set> --out /tmp/ev/<set>.results.jsonl --features-out /tmp/ev/<set>.features.jsonl
// and the set's gold.jsonl (this dev tool reads it; the eval command never does).
import fs from 'node:fs';
import { CONFIDENCE_MODEL, confidenceFrom, type ConfidenceFeatures } from '../../packages/retrieval/src/confidence';

const sets = ['cnil-dev', 'mtrag-govt', 'orsharc-dev'];
type Row = { set: string; x: number[]; y: number; negative: boolean; weight: number };
const readLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const names = Object.keys(CONFIDENCE_MODEL.weights) as Array<keyof ConfidenceFeatures>;
const rows: Row[] = [];
for (const set of sets) {
  const gold = new Map(readLines(`../shared/eval/${set}/gold.jsonl`).map((row) => [String(row.id), row]));
  const lines = readLines(`/tmp/ev/${set}.features.jsonl`);
  for (const line of lines) {
    if (!line.features) continue;
    const answer = gold.get(String(line.id));
    const good = answer.answerable && answer.gold_article_ids.map(String).includes(line.top);
    rows.push({ set, x: names.map((name) => Number(line.features[name] ?? 0)), y: good ? 1 : 0, negative: !answer.answerable, weight: 1 / lines.length });
  }
}

// Newton-free gradient descent is plenty for 8 parameters.
const lambda = 1e-3;
let w = new Array(names.length + 1).fill(0);
for (let step = 0; step < 20000; step++) {
  const grad = new Array(w.length).fill(0);
  for (const row of rows) {
    const z = w[0] + row.x.reduce((sum, value, i) => sum + value * w[i + 1], 0);
    const error = 1 / (1 + Math.exp(-z)) - row.y;
    grad[0] += row.weight * error;
    row.x.forEach((value, i) => (grad[i + 1] += row.weight * error * value));
  }
  w = w.map((value, i) => value - 0.5 * (grad[i] + (i ? lambda * value : 0)));
}
type Model = { intercept: number; weights: Record<keyof ConfidenceFeatures, number> };
const modelWith = (intercept: number): Model => ({
  intercept: +intercept.toFixed(3),
  weights: Object.fromEntries(names.map((name, i) => [name, +w[i + 1].toFixed(3)])) as Record<keyof ConfidenceFeatures, number>,
});
const confidenceOf = (model: Model, row: Row) => confidenceFrom(Object.fromEntries(names.map((name, i) => [name, row.x[i]])) as unknown as ConfidenceFeatures, model);
function setStats(model: Model, set: string) {
  const mine = rows.filter((row) => row.set === set);
  const answered = mine.filter((row) => confidenceOf(model, row) >= 0.75);
  const negatives = mine.filter((row) => row.negative);
  return {
    answered: answered.length,
    precision: answered.length ? answered.filter((row) => row.y === 1).length / answered.length : 1,
    answeredNegatives: negatives.length ? negatives.filter((row) => confidenceOf(model, row) >= 0.75).length / negatives.length : 0,
  };
}

// A threshold must mean the same on every knowledge base: lower the intercept until answers at 0.75
// are right at least 90% of the time on each set (the worst set decides), negatives almost never answered.
let model = modelWith(w[0]);
for (let shift = 0; shift <= 5; shift += 0.05) {
  model = modelWith(w[0] - shift);
  if (sets.every((set) => { const stats = setStats(model, set); return stats.precision >= 0.9 && stats.answeredNegatives <= 0.03; })) break;
}
console.log(JSON.stringify(model, null, 2));

for (const set of sets) {
  const mine = rows.filter((row) => row.set === set).map((row) => ({ ...row, p: confidenceOf(model, row) }));
  const pos = mine.filter((row) => row.y === 1);
  const neg = mine.filter((row) => row.y === 0);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p.p > n.p ? 1 : p.p === n.p ? 0.5 : 0;
  const answered = mine.filter((row) => row.p >= 0.75);
  const negatives = mine.filter((row) => row.negative);
  console.log(
    set,
    'auroc', (wins / (pos.length * neg.length)).toFixed(3),
    'answered', answered.length,
    'precision', (answered.filter((row) => row.y === 1).length / Math.max(1, answered.length)).toFixed(3),
    'answered_negatives', (negatives.filter((row) => row.p >= 0.75).length / Math.max(1, negatives.length)).toFixed(3),
  );
}
