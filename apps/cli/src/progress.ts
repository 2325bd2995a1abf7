import { emptyCounts, type SyncProgress } from '@relai/ingest';

/** A progress bar on a terminal; a line every few seconds otherwise (CI logs, pipes). */
export function progressPrinter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastLine = 0;
  // The last update seen, so that done() prints the final figures.
  let latest: SyncProgress = { counts: emptyCounts(), total: null };
  const render = ({ counts, total }: SyncProgress) => {
    const width = 28;
    const ratio = total ? Math.min(1, counts.seen / total) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '-')}] ` : '';
    return `${label} ${bar}${counts.seen}${total ? `/${total}` : ''} articles · ${counts.created} new · ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.deleted} removed · ${counts.failed} failed`;
  };
  return {
    update(progress: SyncProgress) {
      latest = progress;
      if (stream.isTTY) {
        stream.write(`\r${render(progress).slice(0, (stream.columns || 120) - 1)}`);
      } else if (Date.now() - lastLine > 3_000) {
        lastLine = Date.now();
        stream.write(`${render(progress)}\n`);
      }
    },
    done() {
      stream.write(`${stream.isTTY ? '\r' : ''}${render(latest)}\n`);
    },
  };
}
