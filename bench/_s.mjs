const c0 = process.cpuUsage()
const u = () => ((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000).toFixed(0)
const laps = []
const lap = (l) => laps.push(`${l}=${u()}`)
const core = await import('@oclif/core'); lap('core')
const config = await core.Config.load({root: process.cwd()}); lap('config')
const cmd = config.findCommand(process.argv[2]); const C = await cmd.load(); lap('cmdload')
await C.run(process.argv.slice(3), config); lap('run')
process.stderr.write(laps.join(' ') + '\n')
