Feature: Every node sees the tags of every other node
  A node's tags travel in its hello, so `peer_connected` carries them; when
  the node changes them at run time, every node connected to it emits
  `peer_updated` with the new tags, once, and lists them with the member.

  Scenario: a peer's new tags reach every member as peer_updated
    Given node N1 starts with the tags "role=db zone=eu-1"
    And node N2 with the tags "role=web" joins through N1
    And node N3 with no tags joins through N2
    And the network forms one full mesh within 2 s
    Then every other node saw N1 connect with the tags "role=db zone=eu-1"
    And every other node saw N3 connect with no tags
    When N1 changes its tags to "role=cache"
    Then within 1 s every other node reports N1 updated to the tags "role=cache", once
    And every other node lists N1 with the tags "role=cache"
    When N1 changes its tags to "role=cache"
    And 5 s of simulated time pass
    Then no node reported N1 updated more than once

  Scenario: a node that joins later learns the tags as they are now
    Given a full mesh of 3 nodes
    When N2 changes its tags to "zone=us-2"
    And node N4 with no tags joins through N1
    Then the network forms one full mesh within 2 s
    And N4 saw N2 connect with the tags "zone=us-2"
