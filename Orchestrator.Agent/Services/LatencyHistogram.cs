using System.Globalization;
using System.Text;

namespace Orchestrator.Agent.Services;

/// <summary>
/// A Prometheus histogram (cumulative buckets, sum, count) that also keeps the last 4096 samples for quantiles.
/// Thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];
    private readonly object _gate = new();
    private readonly long[] _buckets = new long[Bounds.Length];
    private readonly double[] _recent = new double[4096];
    private long _count;
    private double _sum;

    public long Count
    {
        get { lock (_gate) return _count; }
    }

    public void Observe(double seconds)
    {
        lock (_gate)
        {
            for (var i = 0; i < Bounds.Length; i++)
                if (seconds <= Bounds[i]) _buckets[i]++;
            _recent[_count % _recent.Length] = seconds;
            _count++;
            _sum += seconds;
        }
    }

    /// <summary>The q-quantile (0..1) of the recent samples, or null without samples.</summary>
    public double? Quantile(double q)
    {
        double[] samples;
        lock (_gate)
        {
            var n = (int)Math.Min(_count, _recent.Length);
            if (n == 0) return null;
            samples = _recent[..n];
        }
        Array.Sort(samples);
        var index = (int)Math.Ceiling(q * samples.Length) - 1;
        return samples[Math.Clamp(index, 0, samples.Length - 1)];
    }

    /// <summary>Appends the metric in the Prometheus text format.</summary>
    public void WriteTo(StringBuilder text, string name, string help)
    {
        lock (_gate)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" histogram\n");
            for (var i = 0; i < Bounds.Length; i++)
                text.Append(name).Append("_bucket{le=\"").Append(Bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                    .Append(_buckets[i]).Append('\n');
            text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(_count).Append('\n');
            text.Append(name).Append("_sum ").Append(_sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            text.Append(name).Append("_count ").Append(_count).Append('\n');
        }
    }
}
