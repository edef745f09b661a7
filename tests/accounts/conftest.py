import pytest
from django.core import mail

from lantern.accounts.models import IdentityProvider
from lantern.accounts.services import invitations, providers
from lantern.core.roles import Role
from tests.accounts import oidc_provider
from tests.factories import OrganisationFactory

LINK = "https://lantern.test/invitation/{}/"


def link_for(token: str) -> str:
    return LINK.format(token)


@pytest.fixture
def home_organisation(db):
    return OrganisationFactory(name="Leicester City Council")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Rutland County Council")


@pytest.fixture
def org_admin(make_user, home_organisation):
    return make_user(
        Role.ORGANISATION_ADMINISTRATOR,
        organisation=home_organisation,
        email="org.admin@leicester.test",
        full_name="Olu Admin",
    )


@pytest.fixture
def system_admin(make_user, other_organisation):
    return make_user(
        Role.SYSTEM_ADMINISTRATOR,
        organisation=other_organisation,
        email="sysadmin@hub.test",
        full_name="Sam Sysadmin",
    )


@pytest.fixture
def colleague(make_user, home_organisation):
    return make_user(
        Role.PARTNER_CONTRIBUTOR,
        organisation=home_organisation,
        email="colleague@leicester.test",
        full_name="Casey Colleague",
    )


@pytest.fixture
def outsider(make_user, other_organisation):
    return make_user(
        Role.PARTNER_CONTRIBUTOR,
        organisation=other_organisation,
        email="outsider@rutland.test",
        full_name="Rowan Outsider",
    )


@pytest.fixture
def invite(run_jobs):
    """Invite someone through the service; returns (invitation, token from the email)."""

    def make(actor, organisation, *roles, email="new.person@leicester.test"):
        sent = invitations.invite(
            actor=actor,
            email=email,
            full_name="Nia New",
            organisation=organisation,
            roles=roles,
            link_for=link_for,
        )
        run_jobs()
        token = token_in(mail.outbox[-1].body)
        return sent.invitation, token

    return make


def token_in(body: str) -> str:
    start = body.index("/invitation/") + len("/invitation/")
    return body[start : body.index("/", start)]


@pytest.fixture(scope="session")
def local_provider():
    """A real OpenID Connect provider on this machine, for the whole run."""
    provider = oidc_provider.start()
    yield provider
    oidc_provider.stop(provider)


@pytest.fixture
def identity_provider(local_provider, home_organisation):
    """Leicester City Council signs in through the local provider (endpoints discovered)."""
    local_provider.reset()
    provider = IdentityProvider(
        organisation=home_organisation,
        issuer=local_provider.issuer,
        client_id=oidc_provider.CLIENT_ID,
        client_secret=oidc_provider.CLIENT_SECRET,
        email_domains="leicester.test, Leicester.gov.test",
    )
    providers.discover(provider)
    provider.save()
    return provider
