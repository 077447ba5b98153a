"""The quizzes part of the REST API: quiz settings, the delegate's attempts and, for trainers and
HR, the attempts in their scope and item statistics."""
