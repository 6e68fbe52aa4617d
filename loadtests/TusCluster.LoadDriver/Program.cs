using System.Runtime.InteropServices;
using TusCluster.LoadDriver.Commands;

// Ctrl+C or SIGTERM (CI killing a step) stops starting uploads and cancels those in flight; the
// summary of what ran is still printed and written, instead of the process dying without one.
using var cancel = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await DriverCli.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, cancel.Token);
