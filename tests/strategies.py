"""Hypothesis strategies for what an attacker sends, shared by the fuzzing of forms and the API.

Beyond ordinary text they include the shapes that once caused server errors: lone
surrogates (text no encoding can store), integers beyond 64 bits (an id no column holds),
thousands of repeated values (a name pasted 3,500 times) and values past every length.
"""

from hypothesis import strategies as st

LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
HUGE_INTEGERS = st.integers(min_value=2**63, max_value=2**80) | st.integers(
    min_value=-(2**80), max_value=-(2**63) - 1
)

# Text with lone surrogates mixed in: only JSON (an escape) can carry it.
unreadable_text = st.lists(
    st.sampled_from(["a", "Smith", " ", "é", "\U0001f697", *LONE_SURROGATES]), max_size=6
).map("".join)

# Form values: what a browser (or a script posting as one) can send in a field.
form_value = st.one_of(
    st.text(max_size=300),
    HUGE_INTEGERS.map(str),
    st.integers().map(str),
    st.text(min_size=5000, max_size=6000, alphabet="ab "),
)
form_values = st.one_of(
    form_value,
    st.lists(form_value, max_size=4),
    st.builds(lambda value, count: [value] * count, form_value, st.integers(200, 900)),
)

# JSON values: every type, huge numbers, lone surrogates, and lists of thousands.
json_scalar = st.one_of(
    st.text(max_size=60),
    unreadable_text,
    HUGE_INTEGERS,
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_value = st.one_of(
    json_scalar,
    st.lists(json_scalar, max_size=5),
    st.dictionaries(st.text(max_size=5), json_scalar, max_size=2),
    st.builds(
        lambda value, count: [value] * count,
        st.sampled_from(["Ivan Petrov", "07700 900123", "AB12 CDE", "labour", "\ud800"]),
        st.integers(1000, 4000),
    ),
)
