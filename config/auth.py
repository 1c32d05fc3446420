"""The sign-in forms of the site and the admin.

Django's AuthenticationForm shows the user name's maximum length in the page but does
not check it, and the sign-in throttle (django-axes) records every failed attempt's
user name in a column of 255 characters: a longer name was a server error on
PostgreSQL. These forms refuse it as a wrong user name, before anything is recorded.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


class _BoundedUserName:
    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        if len(username) > USERNAME_MAX_LENGTH:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username


class SignInForm(_BoundedUserName, AuthenticationForm):
    pass


class AdminSignInForm(_BoundedUserName, AdminAuthenticationForm):
    pass
