using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Okta;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The scanner that takes the SAMLResponse field out of Okta's auto-posting form.</summary>
public sealed class OktaSamlFormTests
{
    [Fact]
    public void Hex_and_decimal_character_references_are_decoded_in_the_value_and_the_action()
    {
        const string Html = "<html><body><form id=\"appForm\" action=\"https&#x3a;&#x2f;&#x2f;signin.aws.amazon.com&#x2F;saml\" method=\"POST\">" +
            "<input name=\"SAMLResponse\" type=\"hidden\" value=\"PHNh&#x2b;bWx&#43;w&#X2B;&#x3d;&#61;\"/>" +
            "<input name=\"RelayState\" type=\"hidden\" value=\"\"/></form></body></html>";

        var (value, action) = OktaSamlForm.Find(Html);

        Assert.Equal("PHNh+bWx+w+==", value);
        Assert.Equal("https://signin.aws.amazon.com/saml", action);
    }

    [Theory]
    [InlineData("<FORM ACTION='https://signin.aws.amazon.com/saml'><INPUT TYPE='hidden' NAME='SAMLResponse' VALUE='abc&amp;d+e='></FORM>")]
    [InlineData("<form action=https://signin.aws.amazon.com/saml><input type=hidden name=SAMLResponse value=abc&amp;d+e=></form>")]
    [InlineData("<form\n  method=\"post\"\n  action = \"https://signin.aws.amazon.com/saml\" >\n<input value=\"abc&amp;d+e=\" name = \"samlresponse\" />\n</form>")]
    [InlineData("<form action=\"https://signin.aws.amazon.com/saml\"><input name=\"SAMLResponse\" value=\"abc&#38d+e&#x3d\"></form>")]
    public void Quote_styles_case_spacing_and_attribute_order_are_tolerated(string html)
    {
        var (value, action) = OktaSamlForm.Find(html);

        Assert.Equal("abc&d+e=", value);
        Assert.Equal("https://signin.aws.amazon.com/saml", action);
    }

    [Fact]
    public void Comments_scripts_and_styles_are_skipped_even_when_they_hold_markup()
    {
        const string Html = "<!-- <input name=\"SAMLResponse\" value=\"comment\"> -->" +
            "<script>var decoy = '<form action=\"https://evil.example/\"><input name=\"SAMLResponse\" value=\"script\">';</script>" +
            "<style>/* <input name=SAMLResponse value=style> */</style>" +
            "<form action=\"https://signin.aws.amazon.com/saml\"><input name=\"SAMLResponse\" value=\"real\"></form>";

        Assert.Equal(("real", "https://signin.aws.amazon.com/saml"), OktaSamlForm.Find(Html));
    }

    [Fact]
    public void A_field_outside_any_form_is_not_the_forms()
    {
        const string Html = "<form action=\"https://signin.aws.amazon.com/saml\"></form><input name=\"SAMLResponse\" value=\"x\">";

        Assert.Equal(((string?)null, (string?)null), OktaSamlForm.Find(Html));
    }

    [Theory]
    [InlineData("<html><body><form method=\"POST\" action=\"/login/do-login\"><input name=\"username\"/><input type=\"password\" name=\"password\"/></form></body></html>")]
    [InlineData("")]
    [InlineData("<")]
    [InlineData("<input name=\"RelayState\" value=\"x\"")]
    [InlineData("plain text with SAMLResponse in it")]
    public void A_page_without_the_field_gives_nothing(string html)
    {
        Assert.Equal(((string?)null, (string?)null), OktaSamlForm.Find(html));
    }

    [Fact]
    public void An_unterminated_tag_still_yields_what_it_holds()
    {
        Assert.Equal(("abc", "https://signin.aws.amazon.com/saml"), OktaSamlForm.Find("<form action=\"https://signin.aws.amazon.com/saml\"><input name=\"SAMLResponse\" value=\"abc"));
    }

    [Theory]
    [InlineData("a&b", "a&b")]
    [InlineData("a&unknown;b", "a&unknown;b")]
    [InlineData("&#xD800;&#0;&#x110000;", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("&lt;&gt;&quot;&apos;&plus;&equals;&sol;&colon;", "<>\"'+=/:")]
    [InlineData("&#x1F600;", "\U0001F600")]
    [InlineData("&#43&#x2b", "++")]
    public void Decode_handles_references_and_leaves_anything_else(string text, string expected)
    {
        Assert.Equal(expected, HtmlPage.Decode(text));
    }
}
