import {importSummaryLine, type ImportResult} from '../csv/index.js'
import type {HandoverBatchResult} from './giving.js'
import type {GradeSheetResult} from './grade.js'
import {stateName, t} from './messages/index.js'
import type {ReimageResult} from './reimage.js'

/** Human views of the batch results (stdout): the same line on a clean run and before an exit 3. */
export function importSummary(r: ImportResult, what: 'whatLaptops' | 'whatSites' | 'whatBeneficiaries'): string {
  return importSummaryLine(r, (n) => t.m(what, {n}))
}

export function gradeSheetSummary(r: GradeSheetResult): string {
  return t('gradedSheet', {
    file: r.file,
    rows: r.rows,
    n: r.updated,
    ready: r.verdicts.ready,
    needs: r.verdicts.needs_part,
    scrap: r.verdicts.scrap,
    rejected: r.rejected,
    dry: r.dryRun ? t('dryRun') : '',
  })
}

export function handoverBatchSummary(r: HandoverBatchResult, dir: string): string {
  return t('handedOverBatch', {
    file: r.file,
    n: r.handovers.length,
    rows: r.rows,
    rejected: r.rejected,
    dir,
    dry: r.dryRun ? t('dryRun') : '',
  })
}

/** One line per device, the failed ones included (status failed, read back DIFFERS). */
export function reimageSummary(r: ReimageResult): string {
  return r.devices
    .map((d) =>
      t('reimaged', {
        device: d.device,
        laptop: d.laptop,
        status: d.status,
        bytes: d.bytesWritten,
        match: t(d.readBackSha256 === r.sha256 ? 'matches' : 'differs'),
        state: stateName(String(d.state)),
      }),
    )
    .join('\n')
}
