using System.Security;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Test passwords and passcodes as the read-only SecureStrings PowerShell hands to cmdlets.</summary>
public static class SecureText
{
    public static SecureString Of(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
