"""Prefilled WhatsApp messages staff send from a participant's page (click-to-chat)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageTemplate(models.Model):
    """An editable Indonesian message. Placeholders: {nama} (the person's name), {peserta}
    (the participant's name, for a message to their contact), {angkatan} (the batch)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(
        _("text"),
        help_text=_("Placeholders: {nama}, {peserta}, {angkatan}."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("WhatsApp message template")
        verbose_name_plural = _("WhatsApp message templates")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def render(self, *, name: str, participant: str, cohort: str) -> str:
        text = self.text
        for key, value in (("{nama}", name), ("{peserta}", participant), ("{angkatan}", cohort)):
            text = text.replace(key, value)
        return text
