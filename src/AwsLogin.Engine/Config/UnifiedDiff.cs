using System;
using System.Collections.Generic;
using System.Text;

namespace AwsLogin.Engine.Config;

/// <summary>A unified diff over lines that are compared by their raw text and shown by their display text.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;
    private const long MaxTableCells = 4_000_000;

    /// <summary>The hunks (with headers), or null when the lines are the same.</summary>
    public static string? Build(string oldLabel, string newLabel, IReadOnlyList<IniDisplayLine> oldLines, IReadOnlyList<IniDisplayLine> newLines, string newLine)
    {
        var ops = EditScript(oldLines, newLines);
        var changes = new List<int>();
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Kind != ' ')
            {
                changes.Add(i);
            }
        }

        if (changes.Count == 0)
        {
            return null;
        }

        // Old and new line numbers before each op.
        var oldBefore = new int[ops.Count + 1];
        var newBefore = new int[ops.Count + 1];
        for (var i = 0; i < ops.Count; i++)
        {
            oldBefore[i + 1] = oldBefore[i] + (ops[i].Kind != '+' ? 1 : 0);
            newBefore[i + 1] = newBefore[i] + (ops[i].Kind != '-' ? 1 : 0);
        }

        var builder = new StringBuilder();
        builder.Append("--- ").Append(oldLabel).Append(newLine);
        builder.Append("+++ ").Append(newLabel).Append(newLine);
        var g = 0;
        while (g < changes.Count)
        {
            var last = g;
            while (last + 1 < changes.Count && changes[last + 1] - changes[last] <= 2 * Context + 1)
            {
                last++;
            }

            var from = Math.Max(0, changes[g] - Context);
            var to = Math.Min(ops.Count - 1, changes[last] + Context);
            var oldCount = oldBefore[to + 1] - oldBefore[from];
            var newCount = newBefore[to + 1] - newBefore[from];
            builder.Append("@@ -").Append(oldCount == 0 ? oldBefore[from] : oldBefore[from] + 1).Append(',').Append(oldCount)
                .Append(" +").Append(newCount == 0 ? newBefore[from] : newBefore[from] + 1).Append(',').Append(newCount)
                .Append(" @@").Append(newLine);
            for (var i = from; i <= to; i++)
            {
                var line = ops[i].Kind == '+' ? newLines[ops[i].New] : oldLines[ops[i].Old];
                builder.Append(ops[i].Kind).Append(line.Display).Append(newLine);
                if (!line.HasNewLine)
                {
                    builder.Append("\\ No newline at end of file").Append(newLine);
                }
            }

            g = last + 1;
        }

        return builder.ToString();
    }

    private static List<(char Kind, int Old, int New)> EditScript(IReadOnlyList<IniDisplayLine> a, IReadOnlyList<IniDisplayLine> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix].Raw == b[prefix].Raw)
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix].Raw == b[b.Count - 1 - suffix].Raw)
        {
            suffix++;
        }

        var ops = new List<(char, int, int)>();
        for (var i = 0; i < prefix; i++)
        {
            ops.Add((' ', i, i));
        }

        var n = a.Count - prefix - suffix;
        var m = b.Count - prefix - suffix;
        if ((long)n * m > MaxTableCells)
        {
            // Too large to align: show the middle as replaced.
            for (var i = 0; i < n; i++)
            {
                ops.Add(('-', prefix + i, -1));
            }

            for (var j = 0; j < m; j++)
            {
                ops.Add(('+', -1, prefix + j));
            }
        }
        else
        {
            // Longest common subsequence of the middle parts.
            var table = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    table[i, j] = a[prefix + i].Raw == b[prefix + j].Raw ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
                }
            }

            int x = 0, y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && a[prefix + x].Raw == b[prefix + y].Raw)
                {
                    ops.Add((' ', prefix + x, prefix + y));
                    x++;
                    y++;
                }
                else if (y < m && (x == n || table[x, y + 1] > table[x + 1, y]))
                {
                    ops.Add(('+', -1, prefix + y));
                    y++;
                }
                else
                {
                    ops.Add(('-', prefix + x, -1));
                    x++;
                }
            }
        }

        for (var i = suffix; i > 0; i--)
        {
            ops.Add((' ', a.Count - i, b.Count - i));
        }

        return ops;
    }
}
