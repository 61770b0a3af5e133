using System.Text;

namespace AwsLogin.Engine.Console;

/// <summary>Quoting for ProcessStartInfo.Arguments: Windows command-line rules, which is also how .NET splits Arguments into argv on Unix.</summary>
internal static class CommandLineArguments
{
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            return argument;
        }

        var builder = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            builder.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
            backslashes = 0;
            builder.Append(c);
        }

        return builder.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
