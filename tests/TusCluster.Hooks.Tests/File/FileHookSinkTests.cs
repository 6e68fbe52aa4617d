using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.File;

/// <summary>The file sink running real executables (sh and python3) written to a temporary hook directory.</summary>
public sealed class FileHookSinkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_hook_gets_the_json_and_tusds_variables_and_its_stdout_is_the_decision()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", """
            #!/usr/bin/python3
            import json, os, sys
            request = sys.stdin.read()
            with open("seen.json", "w") as f:
                json.dump({"stdin": request, "cwd": os.getcwd(), "env": {k: os.environ.get(k) for k in ("TUS_ID", "TUS_SIZE", "TUS_OFFSET")}}, f)
            print(json.dumps({"RejectUpload": True, "HTTPResponse": {"StatusCode": 403, "Body": "no"}, "ChangeFileInfo": {"MetaData": {}}}))
            """);
        var uploadEvent = SampleEvents.Of(UploadEventType.PreCreate);

        var decision = await hooks.Sink().InvokeAsync(uploadEvent, Token);

        Assert.True(decision.RejectUpload);
        Assert.Equal((403, "no"), (decision.HttpResponse?.StatusCode, decision.HttpResponse?.Body));
        Assert.Equal(new Dictionary<string, string>(), decision.ChangeMetaData);
        using var seen = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(hooks.Path, "seen.json")));
        var root = seen.RootElement;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(TusdHookJson.SerializeRequest(uploadEvent)), root.GetProperty("stdin").GetString());
        Assert.Equal(hooks.Path, root.GetProperty("cwd").GetString());
        Assert.Equal(string.Empty, root.GetProperty("env").GetProperty("TUS_ID").GetString());
        Assert.Equal("432724", root.GetProperty("env").GetProperty("TUS_SIZE").GetString());
        Assert.Equal("0", root.GetProperty("env").GetProperty("TUS_OFFSET").GetString());
    }

    [Fact]
    public async Task A_deferred_size_is_zero_in_tus_size_as_with_tusd()
    {
        using var hooks = new HookDirectory();
        hooks.Write("post-finish", """
            #!/bin/sh
            cat > /dev/null
            echo "$TUS_ID $TUS_SIZE $TUS_OFFSET" > env.txt
            """);
        var uploadEvent = SampleEvents.Of(UploadEventType.PostFinish, new UploadSnapshot { Id = "abc", SizeIsDeferred = true, Offset = 7 });

        var decision = await hooks.Sink().InvokeAsync(uploadEvent, Token);

        Assert.Equal(HookDecision.Proceed, decision);
        Assert.Equal("abc 0 7", System.IO.File.ReadAllText(Path.Combine(hooks.Path, "env.txt")).Trim());
    }

    [Fact]
    public async Task Empty_stdout_goes_ahead_even_when_the_hook_does_not_read_its_input()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\nexit 0\n");

        var decision = await hooks.Sink().InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        Assert.Equal(HookDecision.Proceed, decision);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_and_stderr_is_logged()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\ncat > /dev/null\necho '{\"RejectUpload\":true}'\necho 'database is down' >&2\nexit 3\n");

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => hooks.Sink().InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("exited with 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains(hooks.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Text.Contains("pre-create wrote to stderr: database is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_time_limit_kills_the_whole_process_tree()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\nsleep 60 &\necho $! > child.pid\nwait\n");
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(
            () => hooks.Sink(new() { ["Timeout"] = "00:00:00.500" }).InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        Assert.Contains("did not finish within 00:00:00.5", exception.Message, StringComparison.Ordinal);
        var child = int.Parse(System.IO.File.ReadAllText(Path.Combine(hooks.Path, "child.pid")).Trim(), CultureInfo.InvariantCulture);
        await Eventually.HoldsAsync(() => !IsAlive(child), $"the hook's child {child} is gone");
    }

    [Fact]
    public async Task Stdout_over_the_limit_fails()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\0' x\n");

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(
            () => hooks.Sink(new() { ["MaxOutputBytes"] = "1024" }).InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("more than 1024 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdout_that_is_not_json_fails_a_blocking_hook()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\necho 'all good'\n");

        await Assert.ThrowsAsync<HookUnavailableException>(() => hooks.Sink().InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());
    }

    [Fact]
    public async Task A_missing_executable_goes_ahead_and_is_logged_once()
    {
        using var hooks = new HookDirectory();
        var sink = hooks.Sink();

        var first = await sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);
        var second = await sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);
        await sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), Token);

        Assert.Equal((HookDecision.Proceed, HookDecision.Proceed), (first, second));
        Assert.Single(hooks.Logs.Entries, entry => entry.Text.Contains("No file hook for pre-create", StringComparison.Ordinal));
        Assert.Single(hooks.Logs.Entries, entry => entry.Text.Contains("No file hook for post-finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_not_executable_fails()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\nexit 0\n", executable: false);

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => hooks.Sink().InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("could not be started", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_kills_the_hook_and_is_not_a_hook_failure()
    {
        using var hooks = new HookDirectory();
        hooks.Write("pre-create", "#!/bin/sh\necho $$ > self.pid\nexec sleep 60\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hooks.Sink().InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), cancel.Token).AsTask());

        var pid = int.Parse(System.IO.File.ReadAllText(Path.Combine(hooks.Path, "self.pid")).Trim(), CultureInfo.InvariantCulture);
        await Eventually.HoldsAsync(() => !IsAlive(pid), $"the hook {pid} is gone");
    }

    // A zombie (state Z) is dead; only its parent has not reaped it yet. The process may be reaped between
    // looking for its stat file and reading it: gone either way.
    private static bool IsAlive(int pid)
    {
        try
        {
            return System.IO.File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
