import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {formatTable} from '../../src/cli/table.js'
import {frNumber} from '../../src/core/french.js'
import {language} from '../../src/core/i18n.js'
import {st, stateName, t} from '../../src/laptops/messages/index.js'
import {laptopStatus, type StageTime} from '../../src/laptops/status.js'

export class LaptopsStatus extends BaseCommand<typeof LaptopsStatus> {
  static override readOnly = true
  static override summary =
    "What a manager reads: counts by state, throughput per week, ready stock per model, time per stage, sites' quotas"
  static override description = `Weeks are ISO weeks in Europe/Paris time, counted from the laptops' moves (received, wiped, ready, handed over). Stage times are medians in days over every laptop that made the move. --json carries the same figures.\n\n${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops status',
    '<%= config.bin %> laptops status --weeks 26 --json',
    '<%= config.bin %> laptops status --days 30',
  ]
  static override flags = {
    days: integer({description: 'Also list the moves per day, for the last N days', min: 1, max: 36_500}),
    weeks: integer({description: 'How many ISO weeks of throughput, up to this one', min: 1, max: 520, default: 12}),
  }

  public async run() {
    const s = await laptopStatus(await this.context(), {days: this.flags.days, weeks: this.flags.weeks})
    const num = (n: number | null) => (n === null ? st('noValue') : language() === 'fr' ? frNumber(n, 1) : String(n))
    const stage = (key: 'stageReceivedToReady' | 'stageReadyToGiven', v: StageTime) => ({
      stage: st(key),
      median: num(v.median_days),
      laptops: v.laptops,
    })
    this.print(t('statusTotal', {n: s.total}))
    this.print(
      formatTable(
        Object.entries(s.byState).map(([state, n]) => ({state: stateName(state), n})),
        [
          {key: 'state', header: st('hState')},
          {key: 'n', header: st('hCount')},
        ],
      ),
    )
    this.print(
      `\n${st('weeksTitle', {n: s.weeks.length})}\n` +
        formatTable(s.weeks, [
          {key: 'week', header: st('hWeek')},
          {key: 'from', header: st('hFrom')},
          {key: 'received', header: st('hReceived')},
          {key: 'wiped', header: st('hWiped')},
          {key: 'ready', header: st('hReady')},
          {key: 'given', header: st('hGiven')},
        ]),
    )
    this.print(
      s.readyByModel.length === 0
        ? `\n${st('readyNone')}`
        : `\n${st('readyTitle')}\n` +
            formatTable(
              s.readyByModel.map((m) => ({...m, maker: m.maker ?? '-', model: m.model ?? '-'})),
              [
                {key: 'maker', header: st('hMaker')},
                {key: 'model', header: st('hModel')},
                {key: 'ready', header: st('hReady')},
              ],
            ),
    )
    this.print(
      `\n${st('stagesTitle')}\n` +
        formatTable(
          [stage('stageReceivedToReady', s.stages.received_to_ready), stage('stageReadyToGiven', s.stages.ready_to_given)],
          [
            {key: 'stage', header: st('hStage')},
            {key: 'median', header: st('hMedian')},
            {key: 'laptops', header: st('hLaptops')},
          ],
        ),
    )
    if (s.bySite.length > 0)
      this.print(
        `\n${st('sitesTitle')}\n` +
          formatTable(s.bySite, [
            {key: 'site', header: st('hSite')},
            {key: 'quota', header: st('hQuota')},
            {key: 'used', header: st('hUsed')},
            {key: 'remaining', header: st('hLeft')},
            {key: 'convention_end', header: st('hConventionEnds')},
          ]),
      )
    if (this.flags.days && s.perDay.length > 0)
      this.print(
        `\n${st('daysTitle', {n: this.flags.days})}\n` +
          formatTable(
            s.perDay.map((d) => ({
              day: d.day,
              counts: Object.entries(d.counts)
                .map(([k, v]) => `${stateName(k)}=${v}`)
                .join(' '),
            })),
            [
              {key: 'day', header: st('hDay')},
              {key: 'counts', header: st('hEntered')},
            ],
          ),
      )
    return s
  }
}
