using System.Diagnostics;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Shows a transfer's progress: on a terminal one line rewritten in place (images, bytes, rate, time remaining, at most
/// four times a second); when output is redirected, one plain line per finished image, so logs stay readable.
/// </summary>
public sealed class ConsoleTransferProgress : ITransferProgress
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(250);
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private TimeSpan _drawn = TimeSpan.MinValue;
    private int _planned;
    private int _done;
    private long _bytes;

    /// <summary>Writes to <paramref name="output"/>; <paramref name="interactive"/> when it is a terminal (<c>!Console.IsOutputRedirected</c>).</summary>
    public ConsoleTransferProgress(TextWriter output, bool interactive)
    {
        _output = output;
        _interactive = interactive;
    }

    /// <inheritdoc />
    public void Planned(int images)
    {
        lock (_lock)
        {
            _planned = images;
            if (!_interactive)
            {
                _output.WriteLine($"{images} images to transfer");
            }
        }
    }

    /// <inheritdoc />
    public void ImageStarted(string image)
    {
        lock (_lock)
        {
            Redraw(image, force: true);
        }
    }

    /// <inheritdoc />
    public void Transferred(long bytes)
    {
        lock (_lock)
        {
            _bytes += bytes;
            Redraw(null, force: false);
        }
    }

    /// <inheritdoc />
    public void ImageFinished(string image)
    {
        lock (_lock)
        {
            _done++;
            if (_interactive)
            {
                Redraw(image, force: true);
                if (_done == _planned)
                {
                    _output.WriteLine();
                }
            }
            else
            {
                _output.WriteLine($"[{_done}/{_planned}] {image} done; {Status()}");
            }
        }
    }

    private void Redraw(string? image, bool force)
    {
        if (!_interactive || (!force && _elapsed.Elapsed - _drawn < RedrawInterval))
        {
            return;
        }

        _drawn = _elapsed.Elapsed;
        var line = $"[{_done}/{_planned}] {Status()}{(image is null ? "" : "  " + image)}";
        _output.Write("\r" + line.PadRight(Math.Min(Math.Max(line.Length, 100), 160)));
    }

    private string Status()
    {
        var seconds = Math.Max(_elapsed.Elapsed.TotalSeconds, 0.001);
        var rate = _bytes / seconds;
        var remaining = _done == 0 || _planned <= _done ? "" : $", ~{TimeSpan.FromSeconds(seconds / _done * (_planned - _done)):hh\\:mm\\:ss} left";
        return $"{_bytes / 1048576.0:F1} MiB at {rate / 1048576.0:F1} MiB/s{remaining}";
    }
}
