"""The app's first migration: its tables arrive in the migrations that follow."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
