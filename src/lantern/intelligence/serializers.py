"""Intelligence as the REST API shows it: codes and names, as in the CSV format.

A list shows what the web list shows (no narrative, no mentions); the full report comes
only from its own address, where every read is audited.
"""

from rest_framework import serializers

from lantern.entities.models import Mention
from lantern.intelligence.models import IntelligenceReport


class MentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mention
        fields = ["kind", "role", "value", "details"]


class ReportSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:report_detail", lookup_field="reference"
    )
    submitted = serializers.DateTimeField(source="created_at")
    originating_organisation = serializers.CharField(source="originating_organisation.name")
    area = serializers.CharField(source="area.gss_code", default=None)

    class Meta:
        model = IntelligenceReport
        fields = [
            "reference",
            "url",
            "summary",
            "submitted",
            "status",
            "originating_organisation",
            "area",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
        ]


class ReportSerializer(ReportSummarySerializer):
    exploitation_types = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    indicators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    shared_with = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    mentions = MentionSerializer(many=True, read_only=True)

    class Meta(ReportSummarySerializer.Meta):
        fields = [
            *ReportSummarySerializer.Meta.fields,
            "narrative",
            "occurred_on",
            "location",
            "postcode",
            "exploitation_types",
            "child_involved",
            "indicators",
            "sector",
            "handling_conditions",
            "shared_with",
            "mentions",
        ]
