/** The one CSV pipeline of alpi: read (detect, parse, validate), rejects, import, write. */
export {detectDelimiter, detectEncoding, isValidUtf8, type CsvDelimiter, type CsvEncoding} from './detect.js'
export * from './fields.js'
export type {ColumnDef, ColumnSpec} from './headers.js'
export {importCsv, type ImportCsvOptions, type ImportFileOptions, type ImportResult} from './import.js'
export {importSummaryLine} from './summary.js'
export {
  readCsv,
  streamCsv,
  streamCsvBatches,
  type CsvItem,
  type CsvMeta,
  type CsvRow,
  type CsvSource,
  type ReadCsvOptions,
  type ReadCsvResult,
} from './read.js'
export {defaultRejectsPath, writeRejects, type CsvReject} from './rejects.js'
export {
  createCsvWriter,
  formatCell,
  neutraliseFormula,
  writeCsv,
  type CsvColumn,
  type CsvOutputRow,
  type CsvWriteOptions,
  type CsvWriter,
} from './write.js'
