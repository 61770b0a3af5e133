using System;
using System.Linq;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class SsoConfigTargetRoleTests
{
    [Fact]
    public void ParseJson_reads_the_list_with_optional_name_and_region()
    {
        var json = """
            [
              { "SourceAccountID": "111111111111", "SourceRoleName": "Admin", "TargetArn": "arn:aws:iam::222222222222:role/Deploy", "TargetAccountName": "prod", "Region": "eu-west-1" },
              { "sourceaccountid": 333333333333, "sourcerolename": "ReadOnly", "targetarn": "arn:aws-us-gov:iam::444444444444:role/ops/Auditor", "Comment": "ignored" },
            ]
            """;

        var targets = SsoTargetRoleProfile.ParseJson(json);

        Assert.Equal(2, targets.Count);
        Assert.Equal("111111111111", targets[0].SourceAccountId);
        Assert.Equal("Admin", targets[0].SourceRoleName);
        Assert.Equal("arn:aws:iam::222222222222:role/Deploy", targets[0].TargetArn.Value);
        Assert.Equal("prod", targets[0].TargetAccountName);
        Assert.Equal("eu-west-1", targets[0].Region);
        Assert.Equal("333333333333", targets[1].SourceAccountId);
        Assert.Equal("Auditor", targets[1].TargetArn.RoleName);
        Assert.Equal("/ops/", targets[1].TargetArn.Path);
        Assert.Null(targets[1].TargetAccountName);
        Assert.Null(targets[1].Region);
    }

    [Fact]
    public void ParseJson_accepts_one_object_comments_nulls_and_an_empty_list()
    {
        // ConvertTo-Json turns a one-element array into its element.
        var one = SsoTargetRoleProfile.ParseJson("""
            // exported from the wiki
            { "SourceAccountID": "111111111111", "SourceRoleName": "Admin", "TargetArn": "arn:aws:iam::222222222222:role/Deploy", "TargetAccountName": null, "Region": "" }
            """);

        Assert.Equal("arn:aws:iam::222222222222:role/Deploy", one.Single().TargetArn.Value);
        Assert.Null(one.Single().Region);
        Assert.Null(one.Single().TargetAccountName);
        Assert.Empty(SsoTargetRoleProfile.ParseJson("[]"));
    }

    [Theory]
    [InlineData("not json", "The target role list")]
    [InlineData("[1, 2", "The target role list")]
    [InlineData("\"text\"", "The target role list")]
    [InlineData("[42]", "Target role entry [0]")]
    [InlineData("[{\"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": \"Admin\"}]", "Target role entry [0]")]
    [InlineData("[{\"SourceAccountID\": \"11111111111\", \"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": 1.5, \"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": \"Admin Role\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:user/Deploy\"}]", "arn:aws:iam::222222222222:user/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\", \"Region\": \"Frankfurt\"}]", "arn:aws:iam::222222222222:role/Deploy")]
    [InlineData("[{\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": [\"Admin\"], \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\"}]", "Target role entry [0]")]
    public void ParseJson_reports_what_is_wrong_as_InvalidTargetRoleProfile(string json, string target)
    {
        var error = Assert.Throws<AwsLoginException>(() => SsoTargetRoleProfile.ParseJson(json));

        Assert.Equal("InvalidTargetRoleProfile", error.Code);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Equal(target, error.Target);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void ParseJson_names_the_entry_that_is_wrong()
    {
        var json = """
            [
              { "SourceAccountID": "111111111111", "SourceRoleName": "Admin", "TargetArn": "arn:aws:iam::222222222222:role/Deploy" },
              { "SourceAccountID": "111111111111", "SourceRoleName": "Admin", "TargetArn": "arn:aws:iam::222222222222:role/Deploy", "Region": "moon-1" }
            ]
            """;

        var error = Assert.Throws<AwsLoginException>(() => SsoTargetRoleProfile.ParseJson(json));

        Assert.StartsWith("Target role entry [1] has an invalid Region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_validates_like_the_parser()
    {
        Assert.Equal("InvalidTargetRoleProfile", Assert.Throws<AwsLoginException>(() => new SsoTargetRoleProfile("111111111111", "Admin", "not-an-arn")).Code);
        Assert.Equal("InvalidTargetRoleProfile", Assert.Throws<AwsLoginException>(() => new SsoTargetRoleProfile("x", "Admin", "arn:aws:iam::222222222222:role/Deploy")).Code);
        var target = new SsoTargetRoleProfile("111111111111", "Admin", " arn:aws:iam::222222222222:role/Deploy ", "  ");
        Assert.Equal("arn:aws:iam::222222222222:role/Deploy", target.TargetArn.Value);
        Assert.Null(target.TargetAccountName);
        Assert.Throws<ArgumentNullException>(() => SsoTargetRoleProfile.ParseJson(null!));
    }
}
