using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Adfs;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// The tolerant HTML form scanner and the ADFS page classifier: quoting styles, entities, forms hidden in scripts and
/// comments, several forms, broken markup, and which page asks for what.
/// </summary>
public sealed class HtmlPageTests
{
    [Fact]
    public void Attributes_in_every_quote_style_are_read_and_decoded()
    {
        var page = HtmlPage.Parse(
            "<FORM Method=post ACTION='/adfs/ls/?a=1&amp;b=2'>" +
            "<input type=\"hidden\" name=\"double\" value=\"a &quot;b&quot; &amp; c\">" +
            "<input type='hidden' name='single' value='it&#39;s &lt;ok&gt;'>" +
            "<input type=hidden name=bare value=x&#43;y&#x2F;z&#61;>" +
            "<input type = \"hidden\"  name =  \"spaced\"   value = \"&#x1F600;&nbsp;\" />" +
            "<input name=\"empty\" value=\"\"><input name=\"novalue\"><input name=\"unknown\" value=\"&bogus; & &#;\">" +
            "</form>");

        var form = Assert.Single(page.Forms);
        Assert.Equal("POST", form.Method);
        Assert.Equal("/adfs/ls/?a=1&b=2", form.Action);
        Assert.Equal("a \"b\" & c", form.Input("double")!.Value);
        Assert.Equal("it's <ok>", form.Input("single")!.Value);
        Assert.Equal("x+y/z=", form.Input("bare")!.Value);
        Assert.Equal("\U0001F600\u00A0", form.Input("spaced")!.Value);
        Assert.Equal("hidden", form.Input("spaced")!.Type);
        Assert.Equal(string.Empty, form.Input("empty")!.Value);
        Assert.Null(form.Input("novalue")!.Value);
        Assert.Equal("text", form.Input("novalue")!.Type);
        Assert.Equal("&bogus; & &#;", form.Input("unknown")!.Value);
    }

    [Theory]
    [InlineData("&#0;", "\uFFFD")]
    [InlineData("&#xD800;", "\uFFFD")]
    [InlineData("&#x110000;", "\uFFFD")]
    [InlineData("&#65;&#x42;&#X43;", "ABC")]
    [InlineData("&amp;amp;", "&amp;")]
    [InlineData("a&b", "a&b")]
    [InlineData("&verylongentityname;", "&verylongentityname;")]
    public void Character_references_decode_as_browsers_do(string text, string expected)
    {
        Assert.Equal(expected, HtmlPage.Decode(text));
    }

    [Fact]
    public void Forms_in_scripts_styles_comments_and_titles_are_not_forms()
    {
        var page = HtmlPage.Parse(
            "<!DOCTYPE html><html><head><title>Sign &amp; <form> In</title>" +
            "<script>var t = '<form action=\"https://evil.example\"><input type=\"password\" name=\"p\"></form>';</script>" +
            "<SCRIPT type='text/javascript'>document.write(\"<form>\")</SCRIPT>" +
            "<style>form{display:none}</style></head><body>" +
            "<!-- <form action=\"/old\"><input type=\"password\" name=\"old\"></form> -->" +
            "<form id=\"real\" action=\"/adfs/ls/\"><input type=\"password\" name=\"Password\"></form></body></html>");

        var form = Assert.Single(page.Forms);
        Assert.Equal("real", form.Id);
        Assert.Equal("Password", Assert.Single(form.Inputs).Name);
        Assert.Equal("Sign & <form> In", page.Title);
    }

    [Fact]
    public void Several_forms_keep_their_own_inputs_and_inputs_outside_forms_are_ignored()
    {
        var page = HtmlPage.Parse(
            "<input name=\"outside\">" +
            "<form id=\"one\"><input name=\"a\"><form id=\"nested\"><input name=\"b\"></form><input name=\"after\">" +
            "<form id=\"two\" method=\"POST\"><input name=\"c\">");

        Assert.Equal(new[] { "one", "two" }, page.Forms.Select(f => f.Id));
        Assert.Equal(new[] { "a", "b" }, page.Forms[0].Inputs.Select(i => i.Name));
        Assert.Equal(new[] { "c" }, page.Forms[1].Inputs.Select(i => i.Name));
        Assert.Equal("GET", page.Forms[0].Method);
    }

    [Theory]
    [InlineData("<form action=\"/x\"><input name=\"a\" value=\"unterminated")]
    [InlineData("<form><input name=")]
    [InlineData("<form><input")]
    [InlineData("<!-- never closed <form>")]
    [InlineData("<script>never closed <form>")]
    [InlineData("a < b and c<>d <3 </ <!")]
    [InlineData("<")]
    [InlineData("")]
    public void Broken_markup_never_throws(string html)
    {
        var page = HtmlPage.Parse(html);

        Assert.All(page.Forms, form => Assert.NotNull(form.Inputs));
    }

    [Fact]
    public void Duplicate_attributes_keep_the_first_and_flags_need_no_value()
    {
        var page = HtmlPage.Parse("<form><input name=\"a\" name=\"b\" type=checkbox checked disabled value=\"v\"></form>");

        var input = Assert.Single(Assert.Single(page.Forms).Inputs);
        Assert.Equal(("a", "checkbox", true, true), (input.Name, input.Type, input.Checked, input.Disabled));
    }

    [Fact]
    public void Element_text_by_id_strips_tags_and_decodes()
    {
        var page = HtmlPage.Parse("<div id=\"error\"><span id=\"errorText\" for=\"\">Incorrect user ID &amp;\n   <b>password</b>.</span></div><p id=\"empty\"></p>");

        Assert.Equal("Incorrect user ID & password .", page.TextOf("errortext"));
        Assert.Null(page.TextOf("empty"));
        Assert.Null(page.TextOf("missing"));
    }

    [Fact]
    public void The_saml_response_form_is_found_and_its_value_decoded()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("<samlp:Response/>?>>"));
        var html = "<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\"https://signin.aws.amazon.com:443/saml\">" +
            $"<input type=\"hidden\" name=\"SAMLResponse\" value=\"{base64.Replace("+", "&#43;", StringComparison.Ordinal).Replace("=", "&#x3D;", StringComparison.Ordinal)}\" /><input type=\"hidden\" name=\"RelayState\" value=\"\" />" +
            "<noscript><input type=\"submit\" value=\"Submit\" /></noscript></form></body></html>";

        var page = AdfsPage.Classify(HtmlPage.Parse(html));

        Assert.Equal(AdfsPageKind.SamlResponse, page.Kind);
        Assert.Equal(base64, page.SamlResponse);
        Assert.Equal(new Uri("https://signin.aws.amazon.com/saml"), page.Form!.Target(new Uri("https://adfs.example.com/adfs/ls/")));
    }

    [Fact]
    public void A_page_of_forms_without_SAMLResponse_is_not_a_response()
    {
        var page = AdfsPage.Classify(HtmlPage.Parse("<form action=\"https://signin.aws.amazon.com/saml\"><input type=\"hidden\" name=\"SAMLRequest\" value=\"x\"></form>"));

        Assert.Equal(AdfsPageKind.Unknown, page.Kind);
        Assert.Null(page.SamlResponse);
    }

    [Theory]
    [InlineData("<form><input name=\"UserName\" type=\"email\"><input name=\"Password\" type=\"password\"><input type=\"hidden\" name=\"AuthMethod\" value=\"FormsAuthentication\"></form>", "Login")]
    [InlineData("<form><input name=\"ctl00$ContentPlaceHolder1$UsernameTextBox\"><input name=\"ctl00$ContentPlaceHolder1$PasswordTextBox\" type=\"password\"></form>", "Login")]
    [InlineData("<form><input type=\"hidden\" name=\"AuthMethod\" value=\"AzureMfaAuthentication\"><input name=\"VerificationCode\"></form>", "Code")]
    [InlineData("<form><input type=\"hidden\" name=\"AuthMethod\" value=\"VIPAuthenticationProviderUPN\"><input name=\"security_code\" type=\"password\"></form>", "Code")]
    [InlineData("<form><input name=\"UserName\" type=\"email\"><input type=\"submit\" value=\"Next\"></form>", "UserName")]
    [InlineData("<form><input type=\"hidden\" name=\"AuthMethod\" value=\"AzureMfaAuthentication\"><input type=\"hidden\" name=\"Context\" value=\"c\"></form>", "BrowserOnly")]
    [InlineData("<form><input type=\"hidden\" name=\"AuthMethod\" value=\"DuoAdfsAdapter\"><iframe id=\"duo_iframe\" src=\"https://api.duo.example/frame\"></iframe></form>", "BrowserOnly")]
    [InlineData("<div id=\"errorMessage\">The resource you are trying to access is not available.</div>", "Unknown")]
    public void Pages_are_sorted_by_what_they_ask_for(string html, string kind)
    {
        Assert.Equal(kind, AdfsPage.Classify(HtmlPage.Parse(html)).Kind.ToString());
    }

    [Fact]
    public void The_login_form_is_the_one_holding_the_password_and_its_error_text_is_read()
    {
        var page = AdfsPage.Classify(HtmlPage.Parse(
            "<form id=\"search\"><input name=\"q\"></form>" +
            "<form id=\"loginForm\" method=\"post\"><span id=\"errorText\">Incorrect user ID or password.</span>" +
            "<input name=\"UserName\"><input name=\"Password\" type=\"password\"><input type=\"hidden\" name=\"AuthMethod\" value=\"FormsAuthentication\"></form>"));

        Assert.Equal(("loginForm", "Incorrect user ID or password.", "FormsAuthentication"), (page.Form!.Id, page.ErrorText, page.AuthMethod));
    }

    [Fact]
    public void The_user_field_is_named_like_one_or_else_the_typed_field_before_the_password()
    {
        var named = HtmlPage.Parse("<form><input name=\"q\"><input name=\"UserName\" type=\"email\"><input name=\"Password\" type=\"password\"></form>").Forms[0];
        var positional = HtmlPage.Parse("<form><input name=\"q\"><input name=\"j_id1\"><input name=\"j_id2\" type=\"password\"><input name=\"after\"></form>").Forms[0];

        Assert.Equal("UserName", AdfsPage.UserField(named)!.Name);
        Assert.Equal("j_id1", AdfsPage.UserField(positional)!.Name);
    }

    [Fact]
    public void A_submission_sends_what_a_browser_sends()
    {
        var form = HtmlPage.Parse(
            "<form><input type=\"hidden\" name=\"Context\" value=\"c+1\"><input name=\"UserName\" value=\"prefilled\">" +
            "<input type=\"password\" name=\"Password\"><input type=\"checkbox\" name=\"Kmsi\" value=\"true\">" +
            "<input type=\"checkbox\" name=\"Agree\" checked><input type=\"radio\" name=\"r\" value=\"1\"><input type=\"radio\" name=\"r\" value=\"2\" checked>" +
            "<input type=\"hidden\" name=\"gone\" value=\"x\" disabled><input type=\"submit\" name=\"SignIn\" value=\"Sign in\">" +
            "<input type=\"submit\" name=\"Cancel\" value=\"Cancel\"><input type=\"image\" name=\"img\"><input type=\"button\" name=\"b\" value=\"b\">" +
            "<input value=\"nameless\"></form>").Forms[0];

        var fields = AdfsPage.Submission(form, input => input.Type == "password" ? "pw" : input.Name == "UserName" ? "alice" : null);

        Assert.Equal(
            new[] { ("Context", "c+1"), ("UserName", "alice"), ("Password", "pw"), ("Agree", "on"), ("r", "2"), ("SignIn", "Sign in") },
            fields.Select(f => (f.Key, f.Value)));
    }

    [Fact]
    public void Forms_are_url_encoded_as_browsers_encode_them()
    {
        var bytes = AdfsPage.Encode(new[] { new KeyValuePair<string, string>("User Name", "a b&c=d+e/é~"), new KeyValuePair<string, string>("x", string.Empty) });

        Assert.Equal("User+Name=a+b%26c%3Dd%2Be%2F%C3%A9%7E&x=", Encoding.ASCII.GetString(bytes));
    }
}
