"""The pages a public service must publish: the privacy notice, the
accessibility statement, cookies, contact and terms of use.

Each is an InformationPage (cms/models.py) right under the home page, at a
fixed address the footer of every page links (templates/base.html: plain
addresses, so the footer costs no query and reads the same on pages served
from the page cache). `ensure_site` (cms/site_setup.py) makes any that is
missing, with the default body written here, so a fresh site has them; the
team then edits them in the admin.

The defaults say what this software really does: the cookies are the names
in the settings (a test walks a sign-in and vote journey and checks that
every cookie set is named on the cookies page), the data rights are the
download and account deletion of people/data_rights.py, and the retention of
imported Pol.is data (ideas/polis.py) and of citizens' assembly data is
stated. The organisation that runs the service and its contact address are
settings (`SERVICE_OWNER`, `CONTACT_EMAIL`), read when the pages are made."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse
from django.utils.html import escape

# (slug, title, footer label), in the footer's order.
PAGES = [
    ("privacy", "Privacy notice", "Privacy"),
    ("cookies", "Cookies", "Cookies"),
    ("accessibility", "Accessibility statement", "Accessibility statement"),
    ("contact", "Contact", "Contact"),
    ("terms", "Terms of use", "Terms of use"),
]
FOOTER_SLUGS = frozenset(slug for slug, _title, _label in PAGES)
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
ADMIN_SIDEBAR_COOKIE = "wagtail_sidebar_collapsed"  # Wagtail's admin menu, set in the browser


def footer_links():
    """[(address, label)] for the footer: fixed addresses, no query."""
    return [(f"/{slug}/", label) for slug, _title, label in PAGES]


def duration(seconds):
    """A cookie's lifetime in words: "2 weeks", "52 weeks", "3 days", "5 hours"."""
    seconds = int(seconds)
    for size, unit in ((7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return f"{seconds} seconds"


def cookies():
    """[(name, what it is for, how long it lasts)]: every cookie the site sets."""
    return [
        (settings.SESSION_COOKIE_NAME,
         "Keeps you signed in as you move from page to page. It is set when you sign in or create an account, "
         "and when you give the password of a protected page.",
         f"{duration(settings.SESSION_COOKIE_AGE)}, or until you sign out"),
        (settings.CSRF_COOKIE_NAME,
         "Protects the forms you send (a vote, a comment, signing in) from being sent by another website "
         "pretending to be you.",
         duration(settings.CSRF_COOKIE_AGE)),
        (CookieStorage.cookie_name,
         "Carries a short message to the next page you see, such as \"You have signed in\" or \"Your comment "
         "has been posted\".",
         "Until the message is shown, or you close your browser"),
        (settings.DEVICE_COOKIE_NAME,
         "Set when you sign in: it remembers that this browser has signed in to your account before (it holds a "
         "scrambled form of your email address, never the address itself), so that other people's failed "
         "attempts to sign in from the same connection never stop you signing in from here.",
         duration(settings.DEVICE_COOKIE_AGE)),
        (ADMIN_SIDEBAR_COOKIE,
         "Only for mission teams using the admin: remembers whether you folded away the admin's menu.",
         "Until you close your browser"),
    ]


def _owner():
    return escape(settings.SERVICE_OWNER)


def _contact():
    email = escape(settings.CONTACT_EMAIL)
    return f'<a href="mailto:{email}">{email}</a>'


def _rows(items):
    return "".join(f"<li>{item}</li>" for item in items)


def privacy_body():
    data = reverse("people:your_data")
    profile = reverse("people:profile_edit")
    emails = reverse("account_email")
    collected = [
        "Your account: your email address, the display name you choose and your password (stored only as a hash). "
        "If you sign in with GOV.UK One Login or Microsoft Entra ID, the identifier and email address that service "
        "gives us.",
        "What you post: your ideas, comments and replies, your votes and the comments you support, the missions, "
        "calls and ideas you follow, and the reports you make about content. Moderators see who wrote a post made "
        "without your name.",
        "Organisations you add or join: their name, type, size, region and any registered number, and who their "
        "members are. Invitations you send hold the email address you invite.",
        "Your notifications and how you want them delivered, and any API tokens you create.",
        "Your internet (IP) address, used only to count how often an action is repeated so the service can refuse "
        "floods of sign-ups, sign-ins and posts. These counts expire within an hour.",
    ]
    purposes = [
        "To let you take part: post ideas and comments, vote, follow what interests you and be told of replies.",
        "To keep the service safe: moderate what is posted and stop abuse.",
        "To learn from what people say: mission teams read, answer and report on the ideas, and publish the public "
        "contributions and counts as open data.",
    ]
    kept = [
        "Your account and what you post: until you delete your account. Published ideas and comments are part of the "
        "public record of the consultation; when you delete your account they stay, shown as by \"Deleted account\", "
        "unless you choose to remove them too. Your votes stay in the counts but no longer say who cast them.",
        f"Sign-in sessions: {duration(settings.SESSION_COOKIE_AGE)} at most, or until you sign out.",
        "Invitations to join an organisation: the link works for 14 days. An invitation still waiting for you is "
        "withdrawn if you delete your account.",
        "Conversations imported from Pol.is: they are open data published under their own licence (CC BY 4.0). Their "
        "participants are numbers only (\"Pol.is participant 17\"): we receive no names or contact details. The "
        "statements and votes are kept as long as the call that holds them, and deleted with it.",
        "Citizens' assemblies (planned, not yet run on this service): the personal data of assembly members, such as "
        "their contact details and what was used to select them, will be deleted once the assembly has finished. "
        "What the assembly recommends is kept and published without it.",
    ]
    rights = [
        f'get a copy of your data: <a href="{data}">download everything we hold about you</a> as one file '
        "(this is also your right to data portability)",
        f'correct it: change your <a href="{profile}">display name</a> or your <a href="{emails}">email addresses</a>',
        f'have it erased: <a href="{data}#delete">delete your account</a>',
        "object to how we use it, or ask us to restrict it",
    ]
    return f"""
<p>This notice explains what personal data {_owner()} collects when you use this service, why, the law that allows
it, how long it is kept, and your rights.</p>
<h2>Who we are</h2>
<p>{_owner()} runs this service and is the controller of your personal data. You can contact us, and our data
protection officer, at {_contact()}.</p>
<h2>What we collect</h2>
<ul>{_rows(collected)}</ul>
<p>We do not ask for information about your health, ethnicity, religion or other special categories. Please do not
include them, or anyone else's personal details, in what you post: moderators remove posts that do.</p>
<h2>Why we collect it</h2>
<ul>{_rows(purposes)}</ul>
<h2>Our lawful basis</h2>
<p>We process your personal data because it is necessary to perform a task in the public interest: engaging the
public in the development of government policy and services (UK GDPR Article 6(1)(e)). Emails about replies and
digests are sent only as you choose in your notification settings, and you can turn them off at any time.</p>
<h2>Who can see it</h2>
<p>What you post is public once published, with your display name (or as by "A participant" where a call allows
posting without your name), and is published as open data. Your email address is never shown. The mission's team,
its moderators and the site's administrators can see more, to run the service. Companies that host the service for
us process data only on our instructions. We do not sell your data or use it for advertising.</p>
<h2>How long we keep it</h2>
<ul>{_rows(kept)}</ul>
<h2>Your rights</h2>
<p>You have the right to:</p>
<ul>{_rows(rights)}</ul>
<p>For anything you cannot do yourself on the site, email {_contact()}. We will answer within one month.</p>
<h2>Automated decisions</h2>
<p>Some posts are held for a moderator before they are published, for example a post with a link from an account
less than a day old. A person always decides; nothing is refused by a machine alone.</p>
<h2>Complaints</h2>
<p>If you are unhappy with how we use your data, contact us first. You can also complain to the Information
Commissioner's Office (ICO): <a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint</a>,
telephone 0303 123 1113.</p>
"""


def cookies_body():
    rows = "".join(
        f"<li><b>{escape(name)}</b>: {escape(purpose)} Lasts: {escape(lasts)}.</li>"
        for name, purpose, lasts in cookies()
    )
    return f"""
<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
<p>This service uses only the cookies it needs to work. We do not use cookies to track you, to measure how you use
the service or for advertising, and no other company sets cookies through this service. Because these cookies are
essential, we do not ask for your consent to them.</p>
<h2>The cookies we set</h2>
<ul>{rows}</ul>
<h2>Signing in with another service</h2>
<p>If you sign in with GOV.UK One Login or Microsoft Entra ID, you visit their website, which sets its own cookies:
see their cookie pages.</p>
"""


def accessibility_body():
    owner = _owner()
    abilities = [
        "change colours, contrast levels and fonts using browser or device settings",
        "zoom in up to 400% without the text spilling off the screen",
        "navigate the website using just a keyboard or speech recognition software",
        "listen to the website using a screen reader",
        "use the website, including voting, commenting and the opinion map, with JavaScript turned off",
    ]
    gaps = [
        "the admin that mission teams use to write missions and calls is built on Wagtail; some of its controls, "
        "such as the rich text editor and reordering items by dragging, may be hard to use with a screen reader or "
        "a keyboard alone",
        "documents that teams attach to missions and calls, such as PDFs, may not be accessible",
        "when new ideas or votes arrive while a call page is open, a screen reader is told that ideas have arrived "
        "but not what they are until you reload or follow the link",
    ]
    failures = [
        "Live updates on a call page say that new ideas have arrived without naming them. This fails WCAG 2.2 "
        "success criterion 4.1.3 (status messages) for the content of the update. Reloading the page, or following "
        "the link \"new ideas have arrived: show them\", shows them.",
        "Some controls in the Wagtail admin, used by mission teams only, may not be fully operable by keyboard or "
        "screen reader (WCAG 2.2 success criteria 2.1.1 keyboard and 4.1.2 name, role, value). We report what we "
        "find to Wagtail and will update this statement as it is fixed.",
    ]
    return f"""
<p>This accessibility statement applies to Mission Commons, at {escape(settings.SITE_URL)}.</p>
<p>This website is run by {owner}. We want as many people as possible to be able to use this website. For example,
that means you should be able to:</p>
<ul>{_rows(abilities)}</ul>
<p>We have also made the website text as simple as possible to understand.</p>
<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making your device easier to use if you
have a disability.</p>
<h2>How accessible this website is</h2>
<p>We know some parts of this website are not fully accessible:</p>
<ul>{_rows(gaps)}</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, like accessible PDF, large print, easy read,
audio recording or braille, email {_contact()}. We will consider your request and get back to you in 5 working
days.</p>
<h2>Reporting accessibility problems with this website</h2>
<p>We are always looking to improve the accessibility of this website. If you find any problems not listed on this
page or think we are not meeting accessibility requirements, contact {_contact()}.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you are not
happy with how we respond to your complaint, contact the
<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.</p>
<h2>Technical information about this website's accessibility</h2>
<p>{owner} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the
<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines version 2.2</a> AA standard, due to
the non-compliances listed below.</p>
<h2>Non-accessible content</h2>
<p>The content listed below is non-accessible for the following reasons.</p>
<h3>Non-compliance with the accessibility regulations</h3>
<ul>{_rows(failures)}</ul>
<h3>Content that is not within the scope of the accessibility regulations</h3>
<p>Ideas and comments written by the public, and conversations imported from Pol.is, are third-party content that
we do not write or control. PDFs and other documents published before 23 September 2018 are not in scope either.</p>
<h2>What we are doing to improve accessibility</h2>
<p>Every kind of page on this website is checked automatically with axe-core on each change we make, in a real
browser and with JavaScript turned off, and pages people read on a phone are checked not to scroll sideways.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared when the service was set up, and is reviewed whenever the service changes. The
website is tested automatically, as described above, on every change. The date this page was last updated is shown
below.</p>
"""


def contact_body():
    return f"""
<p>Mission Commons is run by {_owner()}.</p>
<h2>Questions about the service</h2>
<p>Email {_contact()}. We aim to reply within 5 working days.</p>
<h2>Questions about a mission or a call</h2>
<p>Comment on the call or idea itself, so everyone can see the answer, or email {_contact()} and name the mission.</p>
<h2>Reporting a post</h2>
<p>Use the "Report" link on any idea or comment once you are signed in. A moderator will look at it.</p>
<h2>Your personal data</h2>
<p>See the <a href="/privacy/">privacy notice</a> for what we hold and how to download or delete it.</p>
<h2>Accessibility</h2>
<p>See the <a href="/accessibility/">accessibility statement</a>, or email {_contact()} to ask for information in
another format.</p>
"""


def terms_body():
    rules = [
        "You need an account to post ideas or comments, vote or follow. Give a display name that is not someone else's "
        "and that does not contain a web or email address.",
        "What you post is public once published, and is published as open data that anyone may reuse.",
        "Post only what you have the right to share. Do not post anyone's personal details, or your own sensitive "
        "information.",
        "Post on behalf of an organisation only if you are a member of it on this service.",
    ]
    return f"""
<p>By using Mission Commons you agree to these terms. The service is run by {_owner()}.</p>
<h2>Taking part</h2>
<ul>{_rows(rules)}</ul>
<h2>What is not allowed</h2>
<p>Moderators hold or remove posts that are abusive, discriminatory, defamatory, illegal, spam or advertising, or
that reveal personal data. Repeated breaches can lead to your account being suspended. Each mission publishes counts
of its moderation decisions, by month and reason, on its transparency page.</p>
<h2>Our responsibilities</h2>
<p>Ideas and comments are the views of the people who post them, not of {_owner()}. Posting an idea does not mean
it will be taken forward; the mission's team says what happens to each idea on its page.</p>
<h2>Your data</h2>
<p>See the <a href="/privacy/">privacy notice</a>. You can download your data or delete your account at any
time.</p>
<h2>Changes to these terms</h2>
<p>We may update these terms. The date they were last updated is shown below.</p>
<h2>Contact</h2>
<p>Email {_contact()}.</p>
"""


BODIES = {
    "privacy": privacy_body,
    "cookies": cookies_body,
    "accessibility": accessibility_body,
    "contact": contact_body,
    "terms": terms_body,
}


def defaults():
    """[(slug, title, body HTML)] of the pages `ensure_site` makes."""
    return [(slug, title, BODIES[slug]().strip()) for slug, title, _label in PAGES]
