// npm run bench:eval — the eval command's contract at scale: a generated set of 4,000 articles (1% of
// them 100-600 KB, the rest a few KB) and 300 conversations, run exactly as other tools call it
// (`npm run eval -- <set-dir> --out <results.jsonl>`) on the embedded default. Target: under 15 minutes.
// Prints one JSON line last.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedArticle } from './generated-help-center';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 4000);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const LARGE_EVERY = 100;
const say = (line: string) => process.stderr.write(`${line}\n`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-bench-eval-'));
let seed = 11;
const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

// A large article is many generated ones under one title: 100-600 KB of real-looking sections.
let totalBytes = 0;
let largestBytes = 0;
const lines: string[] = [];
const sentences: string[][] = [];
for (let index = 0; index < ARTICLES; index++) {
  const article = generatedArticle(index);
  let html = article.body;
  if (index % LARGE_EVERY === 7) {
    const target = (100 + Math.floor(next() * 500)) * 1024;
    for (let part = 1; Buffer.byteLength(html) < target; part++) html += generatedArticle(ARTICLES + index * 1000 + part).body;
  }
  const bytes = Buffer.byteLength(html);
  totalBytes += bytes;
  largestBytes = Math.max(largestBytes, bytes);
  lines.push(JSON.stringify({ id: article.id, title: article.title, url: `https://help.example/articles/${article.id}`, collection: 'Aide', section: null, language: article.locale, html }));
  sentences.push(article.body.replace(/<[^>]+>/g, ' ').split(/(?<=\.)\s+/).filter((sentence) => sentence.length > 30).slice(0, 5));
}
fs.writeFileSync(path.join(dir, 'articles.jsonl'), `${lines.join('\n')}\n`);
const conversations = Array.from({ length: CONVERSATIONS }, (_, index) => {
  const pool = sentences[Math.floor(next() * ARTICLES)]!;
  const pick = () => (pool[Math.floor(next() * pool.length)] ?? 'Comment faire ?').split(' ').slice(0, 10).join(' ');
  const turns = next() < 0.5 ? [{ role: 'user', text: `${pick()} ?` }] : [{ role: 'user', text: pick() }, { role: 'agent', text: 'Pouvez-vous préciser ?' }, { role: 'user', text: `${pick()} ?` }];
  return JSON.stringify({ id: `c${index}`, language: 'fr', turns });
});
fs.writeFileSync(path.join(dir, 'conversations.jsonl'), `${conversations.join('\n')}\n`);
say(`set: ${ARTICLES} articles, ${(totalBytes / 2 ** 20).toFixed(0)} MB of HTML, largest ${(largestBytes / 1024).toFixed(0)} KB; ${CONVERSATIONS} conversations`);

const started = performance.now();
const out = path.join(dir, 'results.jsonl');
const code = await new Promise<number>((resolve) => {
  const child = spawn('npm', ['run', '--silent', 'eval', '--', dir, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (status) => resolve(status ?? 1));
});
const seconds = (performance.now() - started) / 1000;
if (code !== 0) throw new Error(`the eval command exited with ${code}`);
const results = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    articles: ARTICLES,
    html_mb: Math.round(totalBytes / 2 ** 20),
    largest_kb: Math.round(largestBytes / 1024),
    conversations: CONVERSATIONS,
    results,
    seconds: Math.round(seconds),
    target_seconds: 900,
  }),
);
