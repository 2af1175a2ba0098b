"""The safety-words matcher's own table: what must be held for a facilitator, and what must not.

The default list in content/lists/safety-phrases.txt is tuned on these tables. A change to the list
that makes one of them fail is a change to the trade-off written at the top of that file.
"""
from __future__ import annotations

import pytest

from portal.moderation.safety import default_matcher
from tests.conftest import REPO

MUST_HOLD = [
    # Wanting to die, however it is typed
    "I want to die",
    "i want 2 die",
    "I WANT TO DIE",
    "i just want to dieee",
    "I wanna die",
    "honestly I want so badly to die",
    "I wish I was dead",
    "i wish i could just die and be done with it",
    "I'd rather be dead than feel like this",
    "everyone would be better off if I was dead",
    "I'm better off dead",
    "Some nights I hope I don't wake up",
    "I want to go to sleep and never wake up",
    "I wish I'd never been born",
    "I don't want to live",
    "I don't want to be here anymore",
    "i dont want to be here any more",
    "I don’t want to be alive any more",
    "I want to disappear forever",
    "I wish I didn't exist",
    # Ending one's life
    "I want to kill myself",
    "thinking about killing myself",
    "I'll kill myself",
    "kill. my. self.",
    "I want to end my life",
    "end.  my.  life",
    "End\nmy\nlife",
    "I'm going to take my own life",
    "my life, I want to end it",
    "my life... i just want to end it",
    "I want to end it all",
    "ending it all seems like the only way",
    "I want it all to end",
    "i just want the pain to stop forever",
    "I've been thinking about suicide a lot",
    "I am thinking of ending it",
    "I keep thinking about not being here",
    "I'm going to commit suicide",
    "thinking about overdosing",
    "I want to take an overdose",
    "I want to hang myself",
    "I could jump off the bridge on my way home",
    "I'm going to step in front of a train",
    "I want to hurt myself",
    "i wanna kms",
    # Feeling suicidal
    "I feel suicidal",
    "I'm suicidal",
    "im so suicidal right now",
    "I've been having suicidal thoughts again",
    "feeling suicidal again",
    # No reason to go on
    "There's no reason to live",
    "there is no point in living",
    "I have nothing left to live for",
    "life isn't worth living",
    "I can't go on like this",
    "I can't take it anymore",
    "I can't see a way out",
    # Others better off
    "everyone would be better off without me",
    "my kids would be better off if I were gone",
    "nobody would miss me",
    "no one would notice if I disappeared",
    "I'm such a burden to everyone",
    # Goodbye, a plan, a time, the means
    "I've written a note",
    "I've written goodbye letters to my kids",
    "By the time you read this I'll be gone",
    "I have a plan to end my life",
    "I've made a plan to kill myself",
    "I'm ending it tonight",
    "end it tonight",
    "I'm going to take all my pills",
    "I've been saving up my tablets",
    "I've bought a rope",
    "I've decided how I'm going to do it",
    "I no longer want to live",
    "I won't be around much longer",
    # Word order, spacing and punctuation a person in distress types
    "want . to . die",
    "i  want   to    die",
    "i want to—die",
    "i want to die!!!!!",
    # Recovery talk that slips into the present is held
    "Two years ago I wanted to die, and I still do",
    "I used to want to die. Now I want to die again.",
    "Back then I wanted to kill myself. I want to kill myself now too.",
    "Years ago I tried to end my life. I'm going to take all my pills tonight.",
    "I used to think about suicide but I have a plan to end my life",
    "I want to die. Two years ago I got help, but it isn't helping.",
    "I want to die, even though years ago I got through it",
    "I just want everything to stop",
    "I want to go to sleep forever",
    "I'm done with life",
    "I'm so tired of being alive",
    "I wish I wasn't alive",
    "i want to end it",
    "I feel like ending it",
    "I have the pills in front of me",
    "I took an overdose last night",
    "I cut myself again",
    "suicide is the only option left",
    "I'm not going to be here much longer",
]

MUST_NOT_HOLD = [
    # Words that contain the phrases' words
    "I want to build my skill at listening",
    "She is a skilled facilitator",
    "Everyone says this is the killer app for peer support",
    "The deadline for the reflection is Friday",
    "That conversation felt like a dead end",
    "The homework is overdue, sorry",
    "The list of ideas seemed endless",
    "I liked the ending of the book",
    "Ending the session with a check-out worked well",
    "The diet helped my energy",
    "Die Zeit is a newspaper",
    "I studied diesel engines before the course",
    "My cat killed a mouse",
    "Let's finish the exercise and end the session on time",
    # Figures of speech we choose not to hold
    "I'm dying to see the next session",
    "My phone battery died halfway through the call",
    "This exercise killed it, well done everyone",
    "I'm dead tired after work",
    "I could kill for a cup of tea",
    "That joke killed me",
    "I'll do it tonight after dinner",
    "I need to take my tablets with food",
    "I wrote a note to remind myself about the session",
    "no one will notice if you join five minutes late",
    "I can't go on holiday this year",
    "I can't carry on with the exercise until I have read session 2",
    "I want this session to end on a hopeful note",
    "I won't be here next week, I'm on holiday",
    "there is no way to find the slides",
    # Talking about the topic, as the course does
    "Session 10 talks about suicide prevention",
    "We discussed how to respond to someone who is feeling low",
    "Suicide is a hard subject, thank you for the content warning",
    "The course covers risk, self-harm and suicidality with care",
    "What do we say if someone says they want to die?",
    "If a peer tells you they want to end their life, stay with them and call for help",
    "Samaritans have a guide for people who have lost someone to suicide",
    "The Samaritans number is 116 123",
    "My brother died by suicide and I still miss him",
    "We practised asking directly about suicide, which felt awkward at first",
    # Recovery talk about past feelings, with clear time markers
    "When I wanted to end my life, two years ago, what helped was talking to my GP",
    "Samaritans helped me when I felt I wanted to die, years ago",
    "I used to want to die every morning, and peer support changed that",
    "Back when I was at my lowest I wanted to kill myself, and now I run a recovery group",
    "A few years ago I tried to take my own life.",
    "I was suicidal in my twenties and it took a long time to trust anyone",
    "In the past I've had suicidal thoughts; writing helped me notice them",
    "At my worst I felt everyone would be better off without me",
    "When I was in hospital I didn't want to live, but the nurses were kind",
    "Ten years ago I had a plan to end it all, and my sister found me",
    "I no longer feel suicidal, and I want others to know it can change",
    "What helped me when I wanted to die was one person who listened",
    "I don't want to die, I want things to be different",
    "Back then I felt like a burden to my family",
    "Months ago I couldn't see a way out, but things are lighter now",
    # Ordinary posts
    "Looking forward to seeing everyone on Thursday",
    "Thank you all for listening last week, it meant a lot",
    "I found the boundaries exercise really useful",
    "Can someone share the link to the recording?",
    "My recovery has had ups and downs, and that's okay",
    "I felt nervous sharing my story but I'm glad I did",
    "I think hope is the heart of peer support",
    "I kept a mood diary and it helped me spot patterns",
    "I live with depression and I'm doing well at the moment",
    "The life story exercise was powerful",
    "I'd love to hear more about positive risk taking",
    "We all have a right to take risks in our own lives",
    "I wanted to die of embarrassment when my camera turned on",
    "Years ago I'd wake up and think: I want to die. Not any more.",
    "We practised asking: are you having suicidal thoughts?",
    "I cut myself peeling potatoes",
    "I want it to stop raining before the walk",
    "I'm tired of waiting for the bus",
    "I took an overdose in my twenties and survived",
]


# Ordinary words we hold all the same: the cost of holding when in doubt (see the list's header).
ACCEPTED_COSTS = [
    "Years ago I wanted to die, but today I am grateful",
    "I've been killing myself to finish this reflection",
    "I've written a note in my journal about session 3",
]


@pytest.fixture(scope="module")
def matcher():
    return default_matcher(REPO / "content")


def test_the_tables_are_big_enough():
    assert len(MUST_HOLD) >= 60 and len(MUST_NOT_HOLD) >= 60
    assert len(set(MUST_HOLD)) == len(MUST_HOLD) and len(set(MUST_NOT_HOLD)) == len(MUST_NOT_HOLD)


@pytest.mark.parametrize("text", MUST_HOLD)
def test_must_hold(matcher, text):
    assert matcher.holds(text), matcher.find_all(text)


@pytest.mark.parametrize("text", MUST_NOT_HOLD)
def test_must_not_hold(matcher, text):
    assert not matcher.holds(text), matcher.find(text)


@pytest.mark.parametrize("text", ACCEPTED_COSTS)
def test_the_costs_we_accept_are_held(matcher, text):
    assert matcher.holds(text)


def test_recovery_talk_is_found_but_marked_not_held(matcher):
    text = "When I wanted to end my life, two years ago, what helped was talking to my GP"
    [match] = matcher.find_all(text)
    assert match.recovery and not match.urgent and match.text == "end my life"
    assert matcher.find(text) == []


def test_a_phrase_elsewhere_in_the_post_still_holds_it(matcher):
    text = "Two years ago I wanted to die, and therapy helped.\nBut I want to end my life."
    found = matcher.find(text)
    assert [m.text for m in found] == ["end my life"]


def test_an_urgent_phrase_holds_even_in_recovery_talk(matcher):
    [match] = matcher.find("Years ago I was in hospital; back then I was saving up my tablets")
    assert match.urgent and "saving up my tablets" in match.text


def test_the_span_points_into_the_text_as_written(matcher):
    text = "Hello all.\n\nHonestly… I don’t want to be here ANYMORE."
    [match] = matcher.find(text)
    assert text[match.span[0]:match.span[1]] == match.text == "don’t want to be here ANYMORE"
    assert match.line > 0 and match.phrase.startswith("do not want to be")
