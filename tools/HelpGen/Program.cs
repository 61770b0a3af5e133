using System;
using System.IO;
using System.Text;

namespace AwsLogin.HelpGen;

/// <summary>dotnet run --project tools/HelpGen -- &lt;docs folder&gt; [-Check]</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var check = false;
        string? directory = null;
        foreach (var arg in args)
        {
            if (string.Equals(arg, "-Check", StringComparison.OrdinalIgnoreCase) || string.Equals(arg, "--check", StringComparison.OrdinalIgnoreCase))
            {
                check = true;
            }
            else if (directory is null)
            {
                directory = arg;
            }
            else
            {
                return Usage();
            }
        }

        if (directory is null || !Directory.Exists(directory))
        {
            return Usage();
        }

        string maml;
        try
        {
            maml = MamlGenerator.GenerateFromDirectory(directory);
        }
        catch (HelpFormatException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 2;
        }

        var target = Path.Combine(directory, MamlGenerator.HelpFileName);
        var current = File.Exists(target) ? File.ReadAllText(target).Replace("\r\n", "\n") : null;
        if (check)
        {
            if (current == maml)
            {
                Console.WriteLine($"{target} is up to date.");
                return 0;
            }

            Console.Error.WriteLine($"{target} is out of date: run 'dotnet run --project tools/HelpGen -- {directory}' and commit the result.");
            return 1;
        }

        if (current == maml)
        {
            Console.WriteLine($"{target} is up to date.");
        }
        else
        {
            File.WriteAllText(target, maml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Console.WriteLine($"Wrote {target}.");
        }

        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dotnet run --project tools/HelpGen -- <folder with <Cmdlet>.md pages> [-Check]");
        return 64;
    }
}
