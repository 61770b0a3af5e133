using System;
using System.IO;

namespace AwsLogin.Engine.Tests.Cache;

/// <summary>A fresh temp folder per test (nothing created inside it yet), deleted afterwards.</summary>
internal sealed class CacheFolder : IDisposable
{
    public CacheFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "awslogin-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Combine(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
