// A console that goes away must not take the hunt with it: `leakhunt run … | head -1`
// closes the pipe (EPIPE), a closed terminal or ssh session fails writes with EIO. Node
// emits those as 'error' events on process.stdout/stderr, and an unheard 'error' event ends
// the process before the reports are written. Here they are heard and dropped (with no
// console there is nowhere to say anything): the hunt goes on and writes its reports to --out.
export function surviveClosedConsole(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) stream.on('error', () => undefined);
}
